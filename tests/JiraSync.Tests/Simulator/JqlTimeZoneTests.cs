using System.Globalization;
using JiraSync.Simulator;
using JiraSync.Simulator.Model;

namespace JiraSync.Tests.Simulator;

/// <summary>JQL date literals are wall-clock minutes in the Jira user's time zone (not UTC, no seconds).</summary>
public sealed class JqlTimeZoneTests(CloudSimulatorFixture f) : IClassFixture<CloudSimulatorFixture>
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    private async Task<List<string>> Ids(SimulatorHttp http, string jql)
    {
        var body = await http.PostOk("rest/api/2/search/jql", new { jql, maxResults = 5000 });
        return body.GetProperty("issues").EnumerateArray().Select(i => i.GetProperty("id").GetString()!).ToList();
    }

    private static string Literal(DateTimeOffset at, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(at, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Literals_are_read_in_the_users_zone_at_minute_precision()
    {
        var (id, updatedMs) = f.Sim.Control.Read(s => s.Issues.Where(s.IsVisible).Select(i => (i.Id.ToString(), i.UpdatedMs)).First(x => x.UpdatedMs % 60_000 != 0));
        var updated = DateTimeOffset.FromUnixTimeMilliseconds(updatedMs);
        var localMinute = Literal(updated, NewYork);

        Assert.Contains(id, await Ids(f.Http, $"id = {id} AND updated >= \"{localMinute}\""));
        Assert.Contains(id, await Ids(f.Http, $"id = {id} AND updated > \"{localMinute}\""));   // seconds past the minute count
        Assert.DoesNotContain(id, await Ids(f.Http, $"id = {id} AND updated < \"{localMinute}\""));
        Assert.DoesNotContain(id, await Ids(f.Http, $"id = {id} AND updated >= \"{Literal(updated.AddMinutes(1), NewYork)}\""));
        Assert.Contains(id, await Ids(f.Http, $"id = {id} AND updated < \"{Literal(updated.AddMinutes(1), NewYork)}\""));
        // The same instant written as a UTC wall clock is 4-5 hours later in New York: the issue falls outside.
        Assert.DoesNotContain(id, await Ids(f.Http, $"id = {id} AND updated >= \"{Literal(updated, TimeZoneInfo.Utc)}\""));
        // Slash format and an epoch-millisecond number work too.
        Assert.Contains(id, await Ids(f.Http, $"id = {id} AND updated >= \"{localMinute.Replace('-', '/')}\""));
        Assert.Contains(id, await Ids(f.Http, $"id = {id} AND updated >= {updatedMs}"));
        Assert.DoesNotContain(id, await Ids(f.Http, $"id = {id} AND updated > {updatedMs}"));
    }

    [Fact]
    public async Task Another_user_zone_shifts_the_same_literal()
    {
        await using var tokyo = await JiraSimulator.StartAsync(new SimulatorOptions { TimeZone = "Asia/Tokyo" });
        using var http = new SimulatorHttp(tokyo);
        Assert.Equal("Asia/Tokyo", (await http.GetOk("rest/api/2/myself")).GetProperty("timeZone").GetString());
        var (id, updatedMs) = tokyo.Control.Read(s => s.Issues.Where(s.IsVisible).Select(i => (i.Id.ToString(), i.UpdatedMs)).First());
        var updated = DateTimeOffset.FromUnixTimeMilliseconds(updatedMs);
        var tokyoZone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
        Assert.Contains(id, await Ids(http, $"id = {id} AND updated >= \"{Literal(updated, tokyoZone)}\""));
        Assert.DoesNotContain(id, await Ids(http, $"id = {id} AND updated >= \"{Literal(updated.AddMinutes(1), tokyoZone)}\""));
        var body = await http.PostOk("rest/api/2/search/jql", new { jql = $"id = {id}", fields = new[] { "updated" } });
        Assert.EndsWith("+0900", body.GetProperty("issues")[0].GetProperty("fields").GetProperty("updated").GetString());
    }

    [Fact]
    public async Task Relative_dates_count_from_the_simulator_clock()
    {
        var now = f.Sim.Control.Now.ToUnixTimeMilliseconds();
        var expected = f.Sim.Control.Read(s => s.Issues.Where(i => s.IsVisible(i) && i.UpdatedMs >= now - 30L * 86_400_000).Select(i => i.Id.ToString()).Order().ToList());
        Assert.NotEmpty(expected);
        Assert.Equal(expected, (await Ids(f.Http, "project in (ENG, OPS, WEB) AND updated >= -30d")).Order().ToList());
    }

    [Fact]
    public void DST_overlap_takes_the_earlier_instant_and_a_gap_moves_forward()
    {
        var time = new JiraTime("America/New_York");
        // 2025-11-02 01:30 happens twice in New York; like java.time the earlier (EDT, -04:00) wins.
        Assert.Equal(DateTimeOffset.Parse("2025-11-02T05:30:00Z").ToUnixTimeMilliseconds(), time.FromLocal(new DateTime(2025, 11, 2, 1, 30, 0)));
        // 2025-03-09 02:30 does not exist; it moves forward by the gap to 03:30 EDT.
        Assert.Equal(DateTimeOffset.Parse("2025-03-09T07:30:00Z").ToUnixTimeMilliseconds(), time.FromLocal(new DateTime(2025, 3, 9, 2, 30, 0)));
        Assert.Equal("2025-11-02T01:30:00.000-0500", time.Format(DateTimeOffset.Parse("2025-11-02T06:30:00Z").ToUnixTimeMilliseconds()));
        Assert.Equal("2025-07-01T08:00:00.000-0400", time.Format(DateTimeOffset.Parse("2025-07-01T12:00:00Z").ToUnixTimeMilliseconds()));
    }
}
