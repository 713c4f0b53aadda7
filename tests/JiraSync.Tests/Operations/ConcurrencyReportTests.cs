using System.Text.Json;
using JiraSync.Simulator;
using JiraSync.Tests.Loading;
using JiraSync.Tests.Support;

namespace JiraSync.Tests.Operations;

/// <summary>A recorded `sync` against the simulator's rate-limit mode keeps the client's concurrency limit over time in
/// the run's history: `runs RUN_ID --json`, its text view and the HTML report show max_concurrency at 0 s, then the
/// decreases the rate-limit signals caused.</summary>
public class ConcurrencyReportTests
{
    [Fact]
    public async Task A_rate_limited_sync_records_its_concurrency_changes_in_the_run_report()
    {
        // A bucket of 4 refilled at 20 requests/s: 8 requests in flight at the start drain it at once (X-RateLimit-NearLimit, 429).
        await using var h = await SyncHarness.StartAsync(new SimulatorOptions
        {
            Projects = 2, IssuesPerProject = 12, Users = 8, HeavyIssues = 1, WorklogsAtOneInstant = 0,
            RateLimitPerSecond = 20, RateLimitBurst = 4,
        });
        await using var db = new TestDatabase("duckdb");
        await h.SyncAsync(db);
        var runId = (string)(await db.ScalarAsync("SELECT run_id FROM _jirasync_runs"))!;

        var json = await CliRunner.RunAsync("runs", runId, "--destination", db.Uri, "--json");
        Assert.Equal(0, json.ExitCode);
        var run = JsonDocument.Parse(json.StdOut).RootElement;
        var points = run.GetProperty("concurrency").EnumerateArray()
            .Select(p => (At: p.GetProperty("at_seconds").GetDouble(), Limit: p.GetProperty("limit").GetInt32(), Reason: p.GetProperty("reason").GetString()!))
            .ToList();
        Assert.True(points.Count >= 2, $"{points.Count} point(s): {json.StdOut}");
        Assert.Equal((0.0, 8, "max_concurrency"), points[0]);
        // Each later point is a change (a new limit), in time order, within the run.
        var duration = run.GetProperty("duration_seconds").GetDouble();
        for (var i = 1; i < points.Count; i++)
        {
            Assert.NotEqual(points[i - 1].Limit, points[i].Limit);
            Assert.True(points[i].At >= points[i - 1].At && points[i].At <= duration + 0.5, $"point {i} at {points[i].At} s of {duration} s");
            Assert.InRange(points[i].Limit, 1, 8);
        }
        // The first change halved the limit, for one of the two rate-limit signals.
        Assert.Equal(4, points[1].Limit);
        Assert.Contains(points[1].Reason, new[] { "429 Too Many Requests", "rate-limit budget nearly spent" });

        var text = await CliRunner.RunAsync(["runs", runId, "--destination", db.Uri], env: new Dictionary<string, string> { ["COLUMNS"] = "200" });
        Assert.Contains("8 from the start; 4 at ", text.StdOut);

        var html = Path.Combine(db.Dir, "report.html");
        Assert.Equal(0, (await CliRunner.RunAsync("runs", "--destination", db.Uri, "--html", html)).ExitCode);
        var page = await File.ReadAllTextAsync(html);
        Assert.Contains($"id=\"concurrency-{runId}\" data-chart=\"concurrency\" data-marks=\"{points.Count}\"", page);
    }
}
