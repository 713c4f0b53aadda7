using System.Text.Json.Nodes;
using JiraSync.Streams;

namespace JiraSync.Tests.Tap;

public class TapHelpersTests
{
    [Theory]
    // New York is UTC-5 in January: 10:20:30Z is 05:20 local; minus 15 minutes look-back.
    [InlineData("2024-01-15T10:20:30Z", "America/New_York", 15, "2024/01/15 05:05")]
    // Summer time (UTC-4).
    [InlineData("2024-07-15T10:20:59Z", "America/New_York", 0, "2024/07/15 06:20")]
    // Zones ahead of UTC cross midnight.
    [InlineData("2024-01-15T23:50:00Z", "Asia/Tokyo", 0, "2024/01/16 08:50")]
    public void Jql_literals_are_in_the_users_zone_floored_to_the_minute_minus_lookback(string instant, string zone, int lookback, string expected) =>
        Assert.Equal(expected, JqlTime.Literal(DateTimeOffset.Parse(instant), TimeZoneInfo.FindSystemTimeZoneById(zone), lookback));

    [Fact]
    public void An_unknown_zone_starts_14_hours_early_so_nothing_is_missed() =>
        Assert.Equal("2024/01/14 20:20", JqlTime.Literal(DateTimeOffset.Parse("2024-01-15T10:20:30Z"), null, 0));

    [Fact]
    public void Id_ranges_round_trip_compactly()
    {
        var ids = Enumerable.Range(10000, 500).Select(i => (long)i).Where(i => i != 10100 && i != 10101).Append(20000).ToList();
        var encoded = IdRangeSet.Encode(ids);
        Assert.Equal("10000-10099,10102-10499,20000", encoded);
        Assert.Equal(ids, IdRangeSet.Decode(encoded));
        Assert.Equal("", IdRangeSet.Encode([]));
        Assert.False(IdRangeSet.IsValid("12-x"));
    }

    [Theory]
    [InlineData("6/Jul/2010", "2010-07-06", "2010-07-06")]      // ISO twin wins
    [InlineData("6/Jul/10", null, "2010-07-06")]               // Jira's default d/MMM/yy
    [InlineData("06.07.2010", null, "2010-07-06")]
    [InlineData("sometime", null, null)]
    public void Version_user_dates_become_iso(string user, string? iso, string? expected)
    {
        var v = new JsonObject { ["userReleaseDate"] = user, ["releaseDate"] = iso };
        VersionDates.Normalize(v);
        Assert.Equal(expected, (string?)v["userReleaseDate"]);
    }

    [Fact]
    public void Shaper_normalizes_declared_date_times_at_any_depth()
    {
        var schema = SchemaStore.Get(StreamRegistry.Get("issues"));
        var record = new JsonObject
        {
            ["fields"] = new JsonObject { ["updated"] = "2024-01-15T10:20:30.123-0500", ["duedate"] = "2024-02-01" },
        };
        RecordShaper.Compile(schema).Apply(record);
        Assert.Equal("2024-01-15T15:20:30.123000Z", (string?)record["fields"]!["updated"]);
        Assert.Equal("2024-02-01", (string?)record["fields"]!["duedate"]); // not declared date-time: left alone
    }

    [Fact]
    public async Task Ordered_concurrency_keeps_order_and_bounds_requests_in_flight()
    {
        var inFlight = 0; var peak = 0;
        var results = new List<int>();
        await foreach (var r in OrderedConcurrency.MapAsync(Enumerable.Range(0, 30), async (i, ct) =>
        {
            var now = Interlocked.Increment(ref inFlight);
            lock (results) peak = Math.Max(peak, now);
            await Task.Delay(30 - i, ct);
            Interlocked.Decrement(ref inFlight);
            return i;
        }, 4, CancellationToken.None)) results.Add(r);
        Assert.Equal(Enumerable.Range(0, 30), results);
        Assert.InRange(peak, 2, 4);
    }
}
