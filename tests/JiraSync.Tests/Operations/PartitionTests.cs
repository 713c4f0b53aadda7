using System.Text.Json.Nodes;
using JiraSync.Config;
using JiraSync.Runs;
using JiraSync.Simulator;
using JiraSync.Simulator.Control;
using JiraSync.Streams;
using JiraSync.Tests.Loading;
using JiraSync.Tests.Support;

namespace JiraSync.Tests.Operations;

/// <summary>`sync --partition i/n`: n processes sync one site into one PostgreSQL schema at once and together load what
/// one unpartitioned sync loads (the simulator's own expected keys, not anything the code under test computes).</summary>
public sealed class PartitionTests
{
    /// <summary>Five projects: with three partitions ENG and WEB go to 1, DATA and MOB to 2, OPS to 3 (see the hash test).</summary>
    private static SimulatorOptions FiveProjects => new() { Projects = 5, IssuesPerProject = 6, HeavyIssues = 0, WorklogsAtOneInstant = 0 };

    private static readonly string[] AllStreams = ["--streams", string.Join(",", StreamRegistry.All.Select(d => d.Name))];

    [Theory]
    // Expected partitions computed outside .NET (Python: FNV-1a 32 over the UTF-8 upper-case key, mod n, plus one).
    [InlineData("ENG", 3, 1)]
    [InlineData("OPS", 3, 3)]
    [InlineData("WEB", 3, 1)]
    [InlineData("DATA", 3, 2)]
    [InlineData("MOB", 3, 2)]
    [InlineData("SEC", 2, 1)]
    [InlineData("eng", 2, 2)]
    [InlineData("ENG", 2, 2)]
    public void A_project_belongs_to_the_partition_its_key_hashes_to(string key, int count, int expected)
    {
        Assert.Equal(expected, ProjectPartition.Of(key, count));
        Assert.True(new ProjectPartition(expected, count).Owns(key));
        Assert.Single(Enumerable.Range(1, count), i => new ProjectPartition(i, count).Owns(key));
    }

    [Fact]
    public void Each_partition_keeps_its_own_state_row()
    {
        var config = new JiraSyncConfig { BaseUrl = new Uri("https://acme.atlassian.net"), Projects = ["XYZ", "abc"] };
        Assert.Equal("https://acme.atlassian.net partition=2/3", JiraSync.Sync.SyncJob.StateKeyFor(config with { Projects = [], Partition = new(2, 3) }));
        Assert.Equal("https://acme.atlassian.net projects=ABC,XYZ partition=1/2", JiraSync.Sync.SyncJob.StateKeyFor(config with { Partition = new(1, 2) }));
    }

    [Theory]
    [InlineData("0/3")]
    [InlineData("4/3")]
    [InlineData("x")]
    [InlineData("1/0")]
    [InlineData("2")]
    [InlineData("-1/3")]
    [InlineData("1/100000")]
    [InlineData("1001/1001")]
    public async Task A_bad_partition_is_one_usage_line(string value)
    {
        var result = await CliRunner.RunAsync("sync", "--config", "no-such-config.json", "--partition", value);
        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal($"error: --partition '{value}' is not a partition; give i/n with 1 <= i <= n <= 1000 (e.g. --partition 2/3 for the second of three processes)", line);
    }

    [Fact]
    public void The_largest_partition_count_is_accepted()
    {
        Assert.Equal(new ProjectPartition(1000, 1000), ProjectPartition.Parse("1000/1000"));
    }

    [Theory]
    [InlineData("duckdb")]
    [InlineData("jsonl")]
    public async Task A_one_writer_destination_refuses_partitions_with_one_line(string kind)
    {
        await using var h = await SyncHarness.StartAsync(FiveProjects);
        await using var db = new TestDatabase(kind);
        // sync, schedule (at start, not at every fire time) and verify refuse alike.
        foreach (var command in new[] { new[] { "sync" }, ["schedule", "--every", "1h"], ["verify"] })
        {
            var result = await CliRunner.RunAsync([.. command, "--config", h.ConfigPath, "--destination", db.Uri, "--partition", "1/2"]);
            Assert.True(2 == result.ExitCode, $"{command[0]} exited {result.ExitCode}:\n{result.StdErr}");
            var line = Assert.Single(result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("error: --partition 1/2 needs a PostgreSQL destination", line);
        }
        Assert.Equal(0, h.Sim.Control.RequestCount); // refused before Jira was asked anything
    }

    private static async Task<CliResult[]> SyncPartitionsAsync(SyncHarness h, TestDatabase db, string group)
    {
        var processes = Enumerable.Range(1, 3).Select(i => LiveCli.Start(
            ["sync", "--config", h.ConfigPath, "--destination", db.Uri, "--partition", $"{i}/3", "--run-group", group, .. AllStreams])).ToList();
        try { return await Task.WhenAll(processes.Select(p => p.WaitForExitAsync(TimeSpan.FromMinutes(3)))); }
        finally { foreach (var p in processes) await p.DisposeAsync(); }
    }

    private static async Task AssertKeysEqualExpectedAsync(SyncHarness h, TestDatabase db)
    {
        foreach (var (stream, expected) in h.Sim.Control.ExpectedKeys(ExpectedStreams.All))
        {
            var actual = await Tables.KeysAsync(db, stream, StreamRegistry.Get(stream).KeysFor(false));
            Assert.True(expected.SetEquals(actual),
                $"{stream}: missing [{string.Join(",", expected.Except(actual).Take(5))}] extra [{string.Join(",", actual.Except(expected).Take(5))}]");
        }
    }

    private static void AssertClean(CliResult[] results)
    {
        foreach (var (r, i) in results.Select((r, i) => (r, i + 1)))
        {
            Assert.True(r.ExitCode == 0, $"partition {i}/3 exited {r.ExitCode}:\n{r.StdErr}");
            foreach (var bad in new[] { "error", "deadlock", "another jirasync run", "duplicate key", "concurrently", "reconciliation: unexplained", "never finished" })
                Assert.False(r.StdErr.Contains(bad, StringComparison.OrdinalIgnoreCase), $"partition {i}/3 said '{bad}':\n{r.StdErr}");
        }
    }

    [Fact]
    public async Task Three_partitions_at_once_load_exactly_what_one_sync_loads_then_again_incrementally()
    {
        await using var h = await SyncHarness.StartAsync(FiveProjects);
        await using var db = new TestDatabase("postgres");
        var c = h.Sim.Control;

        var first = await SyncPartitionsAsync(h, db, "full");
        AssertClean(first);
        await AssertKeysEqualExpectedAsync(h, db);
        // Each partition searched its own projects only; the site-wide streams came from partition 1 alone.
        Assert.Contains("partition 1/3: ENG, WEB of the 5 project(s) in scope", first[0].StdErr);
        Assert.Contains("partition 2/3: DATA, MOB of the 5 project(s) in scope", first[1].StdErr);
        Assert.Contains("partition 3/3: OPS of the 5 project(s) in scope", first[2].StdErr);
        Assert.DoesNotContain("syncing users", first[1].StdErr);
        Assert.DoesNotContain("syncing worklogs", first[2].StdErr);
        // State per partition: three rows, each with its own issues bookmark.
        var states = await db.QueryAsync("SELECT state_id FROM _jirasync_state ORDER BY state_id");
        Assert.Equal(new[] { "1/3", "2/3", "3/3" }, states.Select(s => ((string)s["state_id"]!)[^3..]).ToArray());

        // Changes in every partition's projects, and an issue moved from partition 1's ENG to partition 3's OPS.
        c.AdvanceClock(TimeSpan.FromHours(1));
        var keys = c.Read(s => s.Issues.Where(i => !i.Deleted).GroupBy(i => i.Project.Key).ToDictionary(g => g.Key, g => g.Select(i => i.Key).Order().ToList()));
        c.UpdateIssue(keys["DATA"][0]);
        c.AddComment(keys["OPS"][0]);
        var added = c.AddIssue("MOB");
        c.DeleteIssue(keys["WEB"][0]);
        var deletedId = c.Read(s => s.IssuesByKey[keys["WEB"][0]].Id.ToString());
        var movedId = c.Read(s => s.IssuesByKey[keys["ENG"][1]].Id.ToString());
        var movedKey = c.MoveIssue(keys["ENG"][1], "OPS");
        c.AdvanceClock(TimeSpan.FromMinutes(5));

        var second = await SyncPartitionsAsync(h, db, "incremental");
        AssertClean(second);
        await AssertKeysEqualExpectedAsync(h, db);
        Assert.Contains(deletedId, await Tables.KeysAsync(db, "issues", ["id"], deleted: true));
        Assert.Contains(added, await Tables.KeysAsync(db, "issues", ["id"]));
        // The moved issue is one live row under its new key: partition 1 left it to partition 3.
        var moved = (await db.QueryAsync($"SELECT \"key\", \"_sdc_deleted_at\" IS NOT NULL AS d FROM issues WHERE CAST(id AS VARCHAR) = '{movedId}'")).Single();
        Assert.Equal((movedKey, false), ((string)moved["key"]!, (bool)moved["d"]!));
        Assert.StartsWith("OPS-", movedKey);

        // `verify --partition` checks each partition's projects against its rows.
        foreach (var i in new[] { 1, 2, 3 })
        {
            var verify = await CliRunner.RunAsync("verify", "--config", h.ConfigPath, "--destination", db.Uri, "--partition", $"{i}/3");
            Assert.True(verify.ExitCode == 0, verify.StdOut + verify.StdErr);
        }

        // `runs` shows each multi-partition run as one, with a line per partition.
        var list = JsonNode.Parse((await CliRunner.RunAsync("runs", "--destination", db.Uri, "--json")).StdOut)!["runs"]!.AsArray();
        Assert.Equal(new[] { "incremental", "full" }, list.Select(r => (string)r!["run_id"]!).ToArray());
        foreach (var run in list)
        {
            Assert.Equal("succeeded", (string)run!["status"]!);
            var parts = run["partitions"]!.AsArray();
            Assert.Equal(new[] { "1/3", "2/3", "3/3" }, parts.Select(p => (string)p!["partition"]!).ToArray());
            // They ran at the same time: every partition started before any finished.
            Assert.True(parts.Max(p => DateTime.Parse((string)p!["started_at"]!)) < parts.Min(p => DateTime.Parse((string)p!["finished_at"]!)),
                run.ToJsonString());
        }
        var table = await CliRunner.RunAsync("runs", "--destination", db.Uri);
        Assert.Contains("incremental (3 partition(s))", table.StdOut);
        var one = await CliRunner.RunAsync("runs", "full", "--destination", db.Uri, "--json");
        Assert.Equal(3, JsonNode.Parse(one.StdOut)!["partitions"]!.AsArray().Count);
    }

    private static JsonArray ReconciliationOf(string json) => JsonNode.Parse(json)!["reconciliation"]!["tables"]!.AsArray();

    private static string[] Names(JsonArray tables) => tables.Select(t => $"{t!["table"]} {t["scope"]}").ToArray();

    [Fact]
    public async Task Worklogs_are_reconciled_by_partition_1_which_writes_them_even_when_it_owns_no_project()
    {
        // With two partitions every one of these five projects hashes to partition 2 (see the hash test's method):
        // partition 1 lists no issue but writes every worklog.
        await using var h = await SyncHarness.StartAsync(FiveProjects);
        await using var db = new TestDatabase("postgres");
        Assert.All(new[] { "ENG", "OPS", "WEB", "DATA", "MOB" }, k => Assert.Equal(2, ProjectPartition.Of(k, 2)));
        var worklogs = h.Sim.Control.ExpectedKeys()["worklogs"].Count; // the simulator's own count of the worklogs the user can see
        Assert.True(worklogs > 0);
        foreach (var i in new[] { 1, 2 })
        {
            var sync = await CliRunner.RunAsync(["sync", "--config", h.ConfigPath, "--destination", db.Uri, "--partition", $"{i}/2", "--run-group", "wl", .. AllStreams]);
            Assert.True(sync.ExitCode == 0, sync.StdErr);
        }
        var runIds = JsonNode.Parse((await CliRunner.RunAsync("runs", "--destination", db.Uri, "--json")).StdOut)!["runs"]![0]!["partitions"]!
            .AsArray().Select(p => (string)p!["run_id"]!).ToArray();
        var sync1 = ReconciliationOf((await CliRunner.RunAsync("runs", runIds[0], "--destination", db.Uri, "--json")).StdOut);
        var sync2 = ReconciliationOf((await CliRunner.RunAsync("runs", runIds[1], "--destination", db.Uri, "--json")).StdOut);
        // The sync of a partition without projects says why it checked no issue; partition 2 leaves worklogs to partition 1.
        Assert.Equal("not checked: partition 1/2 owns no project (every project in scope hashes to another partition), so it lists no issue",
            (string)sync1.Single(t => (string)t!["table"]! == "issues")!["note"]!);
        Assert.DoesNotContain("worklogs *", Names(sync2));
        Assert.Contains("changelogs *", Names(sync2));

        var verify1 = await CliRunner.RunAsync("verify", "--config", h.ConfigPath, "--destination", db.Uri, "--partition", "1/2", "--json");
        var verify2 = await CliRunner.RunAsync("verify", "--config", h.ConfigPath, "--destination", db.Uri, "--partition", "2/2", "--json");
        Assert.True(verify1.ExitCode == 0, verify1.StdOut + verify1.StdErr);
        Assert.True(verify2.ExitCode == 0, verify2.StdOut + verify2.StdErr);
        var wl = JsonNode.Parse(verify1.StdOut)!["tables"]!.AsArray().Single(t => (string)t!["table"]! == "worklogs")!;
        Assert.Equal(("match", (long)worklogs, (long)worklogs), ((string)wl["verdict"]!, (long)wl["jira_count"]!, (long)wl["row_count"]!));
        Assert.DoesNotContain(JsonNode.Parse(verify2.StdOut)!["tables"]!.AsArray(), t => (string)t!["table"]! == "worklogs");
    }

    [Fact]
    public async Task Site_wide_streams_alone_in_another_partition_are_left_to_partition_1_with_a_warning_that_says_so()
    {
        await using var h = await SyncHarness.StartAsync(FiveProjects);
        await using var db = new TestDatabase("postgres");
        var result = await CliRunner.RunAsync("sync", "--config", h.ConfigPath, "--destination", db.Uri, "--partition", "2/2", "--streams", "worklogs,projects");
        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Contains("WARNING partition 2/2: projects, worklogs are site-wide streams, written by partition 1/2 only; nothing to extract in this partition", result.StdErr);
        Assert.DoesNotContain("no stream is selected in the catalog", result.StdErr);
    }

    [Fact]
    public async Task A_second_process_of_the_same_partition_is_refused_while_other_partitions_run()
    {
        await using var db = new TestDatabase("postgres");
        var uri = JiraSync.Loading.Destinations.DestinationUri.Parse(db.Uri);
        await using var first = await uri.LockAsync("partition 1/2");
        await using var second = await uri.LockAsync("partition 2/2"); // another partition loads at once
        var again = await Assert.ThrowsAsync<JiraSync.Errors.RunFailedException>(() => uri.LockAsync("partition 1/2"));
        Assert.Contains("another jirasync run is loading partition 1/2", again.Message);
        // A whole-site run waits for no partition: refused while any holds its lock.
        Assert.Null(await uri.TryLockAsync());
    }

    [Fact]
    public void Partitions_without_a_run_group_are_grouped_by_start_time()
    {
        var t = new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
        RunRecord Run(string id, string? partition, int minutes) => new()
        {
            RunId = id, StartedAt = t.AddMinutes(minutes), FinishedAt = t.AddMinutes(minutes + 1), Status = RunStatus.Succeeded,
            Partition = partition, Source = "https://jira", ConfigFingerprint = "sha256:x",
        };
        var groups = RunGroup.Of([Run("a", "1/2", 0), Run("b", "2/2", 2), Run("c", null, 5), Run("d", "1/2", 60), Run("e", "1/2", 61), Run("f", "2/2", 62)]);
        Assert.Equal(new[] { "e,f", "d", "c", "a,b" }, groups.Select(g => string.Join(",", g.Members.Select(m => m.RunId))).ToArray());
        Assert.Equal(new[] { "e", "d", "c", "a" }, groups.Select(g => g.Id).ToArray());
        Assert.Equal(TimeSpan.FromMinutes(3), groups[3].Duration);
    }

    [Fact]
    public async Task A_run_limit_never_cuts_a_partitioned_run()
    {
        var dir = Directory.CreateTempSubdirectory("jirasync-runs-").FullName;
        try
        {
            var store = new JiraSync.Loading.Destinations.Jsonl.JsonlRunStore(dir);
            var t = new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
            foreach (var (id, partition, minutes) in new[] { ("old", (string?)null, 0), ("p1", "1/2", 10), ("p2", "2/2", 11), ("new", null, 20) })
                await store.SaveRunAsync(new RunRecord
                {
                    RunId = id, StartedAt = t.AddMinutes(minutes), FinishedAt = t.AddMinutes(minutes + 1), Status = RunStatus.Succeeded,
                    Partition = partition, RunGroup = partition is null ? null : "nightly", Source = "https://jira", ConfigFingerprint = "sha256:x",
                });
            // Two runs: the newest and the whole partitioned run before it (three records), not half of it.
            var history = await RunHistory.ReadAsync(store, 2, t.AddHours(1));
            Assert.Equal(new[] { "new", "nightly" }, history.Groups.Select(g => g.Id).ToArray());
            Assert.Equal(new[] { "p1", "p2" }, history.Groups[1].Members.Select(m => m.RunId).ToArray());
            Assert.Equal(new[] { "new", "nightly", "old" }, (await RunHistory.ReadAsync(store, 5, t.AddHours(1))).Groups.Select(g => g.Id).ToArray());
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public async Task A_run_group_named_like_a_recorded_run_is_refused_with_one_line()
    {
        await using var h = await SyncHarness.StartAsync(FiveProjects);
        await using var db = new TestDatabase("postgres");
        var first = await CliRunner.RunAsync("sync", "--config", h.ConfigPath, "--destination", db.Uri, "--streams", "projects");
        Assert.True(first.ExitCode == 0, first.StdErr);
        var runId = (string)JsonNode.Parse((await CliRunner.RunAsync("runs", "--destination", db.Uri, "--json")).StdOut)!["runs"]![0]!["run_id"]!;
        var again = await CliRunner.RunAsync("sync", "--config", h.ConfigPath, "--destination", db.Uri, "--partition", "1/2", "--run-group", runId, "--streams", "projects");
        Assert.Equal(2, again.ExitCode);
        var line = Assert.Single(again.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("error:"));
        Assert.Equal($"error: --run-group '{runId}' is the id of a recorded run; give the partitioned run an id of its own (e.g. the orchestrator's run id)", line);
        // Nothing was recorded for the refused run.
        Assert.Single(JsonNode.Parse((await CliRunner.RunAsync("runs", "--destination", db.Uri, "--json")).StdOut)!["runs"]!.AsArray());
    }
}
