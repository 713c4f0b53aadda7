using System.Text.Json.Nodes;
using JiraSync.Simulator;
using JiraSync.Tests.Loading;
using JiraSync.Tests.Support;

namespace JiraSync.Tests.Operations;

/// <summary>`jirasync schedule` for real: a child process, the simulator, a DuckDB file, wall-clock seconds.</summary>
public class ScheduleCommandTests
{
    private static long Ticks(object? v) => ((DateTime)v!).Ticks;

    /// <summary>Runs, oldest first, with a check that no run started before the previous one finished.</summary>
    private static async Task<List<Dictionary<string, object?>>> RunsWithoutOverlapAsync(TestDatabase db)
    {
        var runs = await db.QueryAsync("SELECT * FROM _jirasync_runs ORDER BY started_at");
        for (var i = 1; i < runs.Count; i++)
            Assert.True(Ticks(runs[i]["started_at"]) >= Ticks(runs[i - 1]["finished_at"]),
                $"run {runs[i]["run_id"]} started before {runs[i - 1]["run_id"]} finished");
        return runs;
    }

    [Fact]
    public async Task Every_2s_with_max_runs_3_runs_three_checked_syncs_one_after_another()
    {
        await using var h = await SyncHarness.StartAsync();
        await using var db = new TestDatabase("duckdb");
        var result = await CliRunner.RunAsync("schedule", "--config", h.ConfigPath, "--destination", db.Uri, "--every", "2s", "--max-runs", "3");
        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Contains("schedule: every 2s, at most 3 run(s)", result.StdErr);
        Assert.Equal(3, result.StdErr.Split('\n').Count(l => l.StartsWith("INFO check: URL ")));
        Assert.Contains("schedule finished: 3 run(s), 0 failed", result.StdErr);
        var runs = await RunsWithoutOverlapAsync(db);
        Assert.Equal(3, runs.Count);
        Assert.All(runs, r => Assert.Equal(("succeeded", "schedule"), ((string)r["status"]!, (string)r["trigger"]!)));
    }

    [Fact]
    public async Task An_auth_failure_is_a_recorded_failed_run_and_the_schedule_picks_up_the_fixed_password()
    {
        await using var h = await SyncHarness.StartAsync();
        await using var db = new TestDatabase("duckdb");
        var good = File.ReadAllText(h.ConfigPath);
        var bad = JsonNode.Parse(good)!.AsObject();
        bad["password"] = "wrong-token-123";
        File.WriteAllText(h.ConfigPath, bad.ToJsonString());

        await using var cli = LiveCli.Start("schedule", "--config", h.ConfigPath, "--destination", db.Uri, "--every", "2s", "--max-runs", "3");
        var failure = await cli.WaitForLineAsync(l => l.StartsWith("ERROR run ") && l.Contains(" failed"));
        File.WriteAllText(h.ConfigPath, good);   // the user fixes the password; no restart
        var result = await cli.WaitForExitAsync();

        Assert.Equal(1, result.ExitCode);   // one run failed
        Assert.Contains("schedule finished: 3 run(s), 1 failed", result.StdErr);
        Assert.DoesNotContain("wrong-token-123", result.StdErr);
        // The failure is logged once (the run's own "run … failed" line), not again by the scheduler.
        Assert.Single(result.StdErr.Split('\n'), l => l.StartsWith("ERROR") && l.Contains("401"));
        var runs = await RunsWithoutOverlapAsync(db);
        Assert.Equal(["failed", "succeeded", "succeeded"], runs.Select(r => (string)r["status"]!));
        var error = (string)runs[0]["error"]!;
        Assert.Contains("401", error);
        Assert.DoesNotContain("\n", error);
        Assert.DoesNotContain("wrong-token-123", error);
    }

    [Fact]
    public async Task Two_schedules_on_one_destination_never_run_at_the_same_time()
    {
        // Slow responses make each run last well over the 1s interval, so the two schedules keep colliding.
        await using var h = await SyncHarness.StartAsync(new SimulatorOptions { LatencyMs = 40 });
        await using var db = new TestDatabase("duckdb");
        string[] args = ["schedule", "--config", h.ConfigPath, "--destination", db.Uri, "--every", "1s", "--max-runs", "3"];
        await using var a = LiveCli.Start(args);
        await using var b = LiveCli.Start(args);
        var ra = await a.WaitForExitAsync();
        var rb = await b.WaitForExitAsync();
        var all = ra.StdErr + "\n" + rb.StdErr;
        Assert.Contains("another jirasync run is loading into", all);
        var runs = await RunsWithoutOverlapAsync(db);
        Assert.True(runs.Count >= 2, $"{runs.Count} runs:\n{all}");
        Assert.All(runs, r => Assert.Equal("succeeded", r["status"]));
    }

    [Fact]
    public async Task SIGTERM_mid_run_commits_what_was_extracted_records_the_run_and_exits_0()
    {
        await using var h = await SyncHarness.StartAsync(new SimulatorOptions { LatencyMs = 60 });
        await using var db = new TestDatabase("duckdb");
        await using var cli = LiveCli.Start("schedule", "--config", h.ConfigPath, "--destination", db.Uri, "--every", "1h");
        // The sweep and the worklog feed start first; users is the eighth unit, started once four units have ended
        // (projects, a single request, among them), while the sweep and twenty more units are still to come.
        await cli.WaitForLineAsync(l => l.Contains("syncing users"));
        cli.Signal("TERM");
        var result = await cli.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Contains("SIGTERM received: finishing the current batch", result.StdErr);
        Assert.Contains("stopped by signal", result.StdErr);
        var runs = await db.QueryAsync("SELECT * FROM _jirasync_runs");
        var run = Assert.Single(runs);
        Assert.Equal("cancelled", run["status"]);
        // What the run says it loaded is in the tables, and the stored state covers only that.
        var streams = await db.QueryAsync("SELECT stream, rows_inserted FROM _jirasync_run_streams");
        foreach (var s in streams)
            Assert.Equal(Convert.ToInt64(s["rows_inserted"]), await Tables.CountAsync(db, (string)s["stream"]!));
        Assert.Contains(streams, s => (string)s["stream"]! == "projects" && Convert.ToInt64(s["rows_inserted"]) > 0);
    }

    [Theory]
    [InlineData("--every", "often", "--every 'often' is not a duration; expected a duration such as 30s, 15m, 1h, 1h30m or 1d")]
    [InlineData("--cron", "every day", "--cron 'every day' has 2 field(s); expected 5 fields")]
    [InlineData("--anchor", "9am", "--anchor '9am' is not a time of day; expected a 24-hour time of day HH:MM, such as 02:30")]
    public async Task Unparsable_schedule_values_exit_2_with_the_expected_form(string option, string value, string message)
    {
        string[] args = option == "--anchor"
            ? ["schedule", "--config", "/nonexistent.json", "--every", "1h", option, value]
            : ["schedule", "--config", "/nonexistent.json", option, value];
        var result = await CliRunner.RunAsync(args);
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: " + message, result.StdErr);
        Assert.Single(result.StdErr.Trim().Split('\n'));
    }
}
