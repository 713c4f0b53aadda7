using System.Text;
using JiraSync.Tests.Loading;
using JiraSync.Tests.Support;

namespace JiraSync.Tests.Operations;

/// <summary>`jirasync sync` from the simulator, then the run history checked against what was loaded, by querying
/// the tables of a real DuckDB file and a real PostgreSQL schema.</summary>
public class RunHistoryEndToEndTests
{
    public static TheoryData<string> Sql => new() { "duckdb", "postgres" };

    private static long Long(object? v) => Convert.ToInt64(v);

    [Fact]
    public async Task A_mistyped_stream_name_or_catalog_path_is_exit_2_and_no_run_is_recorded()
    {
        await using var h = await SyncHarness.StartAsync();
        await using var db = new TestDatabase("duckdb");
        await h.SyncAsync(db);   // one real run, so the history exists
        foreach (var args in new[] { new[] { "--streams", "isues" }, ["--reset", "worklog"], ["--catalog", Path.Combine(db.Dir, "no-such-catalog.json")] })
        {
            var result = await CliRunner.RunAsync(["sync", "--config", h.ConfigPath, "--destination", db.Uri, .. args]);
            Assert.Equal(2, result.ExitCode);
            Assert.Single(result.StdErr.Trim().Split('\n'));
        }
        Assert.Equal(1L, Long(await db.ScalarAsync("SELECT count(*) FROM _jirasync_runs")));
    }

    [Fact]
    public async Task A_jsonl_destination_keeps_every_run_in_its_history()
    {
        // Its run history files used to be cut to the loader's committed lengths when the next run opened the folder.
        await using var h = await SyncHarness.StartAsync();
        await using var db = new TestDatabase("jsonl");
        await h.SyncAsync(db, "--streams", "resolutions");
        var second = await h.SyncAsync(db, "--streams", "resolutions");
        Assert.DoesNotContain("dropping", second.StdErr);
        var runs = await CliRunner.RunAsync("runs", "--destination", db.Uri, "--json");
        Assert.True(runs.ExitCode == 0, runs.StdErr);
        var listed = System.Text.Json.Nodes.JsonNode.Parse(runs.StdOut)!["runs"]!.AsArray();
        Assert.Equal(["succeeded", "succeeded"], listed.Select(r => (string?)r!["status"]));
    }

    [Theory, MemberData(nameof(Sql))]
    public async Task Run_history_rows_and_per_stream_counts_match_what_was_loaded(string kind)
    {
        await using var h = await SyncHarness.StartAsync();
        await using var db = new TestDatabase(kind);
        await h.SyncAsync(db);
        var c = h.Sim.Control;
        c.AdvanceClock(TimeSpan.FromHours(1));
        var issues = c.ExpectedKeys()["issues"].Order().ToList();
        c.UpdateIssue(issues[0]);
        c.AddIssue(c.Read(s => s.VisibleProjects.First().Key));
        c.DeleteIssue(issues[2]);
        c.AdvanceClock(TimeSpan.FromMinutes(5));
        await h.SyncAsync(db);

        var runs = await db.QueryAsync("SELECT * FROM _jirasync_runs ORDER BY started_at");
        Assert.Equal(2, runs.Count);
        Assert.All(runs, r => Assert.Equal("succeeded", r["status"]));
        Assert.All(runs, r => Assert.NotNull(r["finished_at"]));
        Assert.All(runs, r => Assert.Null(r["error"]));
        var (first, second) = ((string)runs[0]["run_id"]!, (string)runs[1]["run_id"]!);

        // Every table's rows are exactly what the runs say they inserted; updates and deletions are rows already there.
        var streams = await db.QueryAsync("SELECT * FROM _jirasync_run_streams ORDER BY run_id, stream");
        var expected = c.ExpectedKeys();
        foreach (var stream in expected.Keys)
        {
            var mine = streams.Where(s => (string)s["stream"]! == stream).ToList();
            Assert.True(mine.Count >= 1, $"{stream}: no run_streams row");
            var inserted = mine.Sum(s => Long(s["rows_inserted"]));
            Assert.Equal(await Tables.CountAsync(db, stream), inserted);
            var firstRow = mine.Single(s => (string)s["run_id"]! == first);
            Assert.Equal(Long(firstRow["records_extracted"]), Long(firstRow["rows_inserted"]) + Long(firstRow["rows_updated"]));
        }
        var issuesRun2 = streams.Single(s => (string)s["run_id"]! == second && (string)s["stream"]! == "issues");
        Assert.Equal(1, Long(issuesRun2["rows_inserted"]));
        Assert.True(Long(issuesRun2["rows_updated"]) >= 1);
        Assert.Equal(Long(await db.ScalarAsync("SELECT count(*) FROM issues WHERE _sdc_deleted_at IS NOT NULL")), Long(issuesRun2["rows_deleted"]));
        var issuesRun1 = streams.Single(s => (string)s["run_id"]! == first && (string)s["stream"]! == "issues");
        Assert.Null(issuesRun1["bookmark_before"]);
        Assert.NotNull(issuesRun1["bookmark_after"]);
        Assert.Equal(issuesRun1["bookmark_after"], issuesRun2["bookmark_before"]);
        Assert.True(Long(issuesRun1["http_requests"]) > 0);
        // Run totals include the requests made before the first stream (instance probe), so they bound the streams' sum.
        Assert.True(Long(runs[0]["http_requests"]) >= streams.Where(s => (string)s["run_id"]! == first).Sum(s => Long(s["http_requests"])));

        // The extraction log: every request, no secret in any form.
        var log = File.ReadAllText((string)runs[0]["log_path"]!);
        Assert.Contains($"GET {h.Sim.BaseUrl}rest/api/2/myself -> 200", log);
        Assert.Contains("search", log);
        Assert.DoesNotContain(h.Sim.ApiToken, log);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes($"{h.Sim.Username}:{h.Sim.ApiToken}")), log);

        // And `jirasync runs` reads the same history back.
        var listed = await CliRunner.RunAsync("runs", "--destination", db.Uri, "--json");
        Assert.Equal(0, listed.ExitCode);
        Assert.Contains(second, listed.StdOut);
    }

    [Fact]
    public async Task A_sync_stopped_by_SIGTERM_is_recorded_as_cancelled_with_what_it_loaded()
    {
        await using var h = await SyncHarness.StartAsync(new JiraSync.Simulator.SimulatorOptions { LatencyMs = 60 });
        await using var db = new TestDatabase("duckdb");
        await using var cli = LiveCli.Start("sync", "--config", h.ConfigPath, "--destination", db.Uri);
        await cli.WaitForLineAsync(l => l.Contains("syncing issues"));
        cli.Signal("TERM");
        var result = await cli.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(1, result.ExitCode);
        Assert.EndsWith("error: stopped by signal; what was extracted is committed, and the next sync resumes from there", result.StdErr.Trim());
        var run = Assert.Single(await db.QueryAsync("SELECT * FROM _jirasync_runs"));
        Assert.Equal(("cancelled", "stopped by signal"), ((string)run["status"]!, (string)run["error"]!));
        var projects = Assert.Single(await db.QueryAsync("SELECT rows_inserted FROM _jirasync_run_streams WHERE stream = 'projects'"));
        Assert.Equal(await Tables.CountAsync(db, "projects"), Long(projects["rows_inserted"]));

        // The next sync finishes the job and the history shows both runs.
        await h.SyncAsync(db);
        Assert.Equal(["cancelled", "succeeded"], (await db.QueryAsync("SELECT status FROM _jirasync_runs ORDER BY started_at")).Select(r => (string)r["status"]!));
    }
}
