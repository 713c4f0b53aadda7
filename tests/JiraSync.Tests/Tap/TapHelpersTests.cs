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

    [Fact]
    public async Task Ordered_concurrency_refills_a_slot_when_its_request_ends_not_when_the_consumer_reaches_it()
    {
        // Item 0 is slow; items 1..5 are quick. With 2 slots, items 1..5 must all run while item 0 is still in flight
        // (the consumer is stuck waiting for item 0, in order), instead of one after the other behind it.
        var release0 = new TaskCompletionSource();
        var ran = new List<int>();
        var results = new List<int>();
        var consume = Task.Run(async () =>
        {
            await foreach (var r in OrderedConcurrency.MapAsync(Enumerable.Range(0, 6), async (i, ct) =>
            {
                if (i == 0) await release0.Task.WaitAsync(ct); else await Task.Yield();
                lock (ran) ran.Add(i);
                return i;
            }, 2, CancellationToken.None)) results.Add(r);
        });
        for (var waited = 0; waited < 100 && ran.Count < 3; waited++) await Task.Delay(20);
        await Task.Delay(100); // room for a fourth, were the bound not kept
        // At most 2 x 2 results may be held at once (in flight or done and not taken): 0 in flight and 1, 2, 3 done.
        lock (ran) Assert.Equal([1, 2, 3], ran.Order());
        release0.SetResult();
        await consume;
        Assert.Equal(Enumerable.Range(0, 6), results);
    }

    [Fact]
    public async Task Ordered_concurrency_yields_the_results_before_a_failure_then_throws_it_as_is()
    {
        async IAsyncEnumerable<int> Source()
        {
            for (var i = 0; i < 3; i++) { await Task.Yield(); yield return i; }
            throw new InvalidDataException("the feed broke");
        }
        var results = new List<int>();
        var ex = await Assert.ThrowsAsync<InvalidDataException>(async () =>
        {
            await foreach (var r in OrderedConcurrency.MapAsync(Source(), async (i, ct) => { await Task.Delay(10 * (3 - i), ct); return i; }, 4, CancellationToken.None))
                results.Add(r);
        });
        Assert.Equal("the feed broke", ex.Message);
        Assert.Equal([0, 1, 2], results);
    }

    [Theory]
    [InlineData(2000, 100, 8)]
    [InlineData(5000, 100, 8)]
    [InlineData(130, 100, 8)]
    [InlineData(7, 100, 8)]
    [InlineData(1000, 50, 4)]
    public void Guided_chunks_cover_every_id_once_in_order_full_first_then_shrinking_never_tiny(int count, int max, int slots)
    {
        var ids = Enumerable.Range(1, count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var chunks = IssueHydration.GuidedChunks(ids, max, slots).ToList();
        Assert.Equal(ids, chunks.SelectMany(c => c));
        Assert.All(chunks, c => Assert.InRange(c.Length, 1, max));
        // Sizes never grow, except that the last one may take a remainder under a quarter of max.
        for (var i = 1; i < chunks.Count - 1; i++) Assert.True(chunks[i].Length <= chunks[i - 1].Length);
        if (count >= max / 4) Assert.All(chunks, c => Assert.True(c.Length >= max / 4, $"a chunk of {c.Length}"));
        // Full requests while more than `slots` of them are left: the request count stays near the minimum.
        var full = (count - slots * max) / max;
        Assert.All(chunks.Take(Math.Max(0, full)), c => Assert.Equal(max, c.Length));
        Assert.True(chunks.Count <= (count + max - 1) / max + slots + 2, $"{chunks.Count} requests for {count} ids");
    }
}
