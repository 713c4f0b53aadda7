using System.Text.Json.Nodes;
using JiraSync.Simulator;
using JiraSync.Simulator.Control;
using JiraSync.Simulator.Model;
using JiraSync.Tests.Loading;
using JiraSync.Tests.Support;

namespace JiraSync.Tests.Operations;

/// <summary>A row that leaves says why, in _jirasync_status: deleted, no_access, archived, moved. Expected keys come from
/// the simulator's model (which project each issue is in), never from the code under test.</summary>
public sealed class RowStatusTests
{
    private static SimulatorOptions Small => new() { Projects = 3, IssuesPerProject = 8, HeavyIssues = 0, WorklogsAtOneInstant = 0 };

    /// <summary>issue key → (status, deleted) of every row of the issues table.</summary>
    private static async Task<Dictionary<string, (string? Status, bool Deleted)>> IssueRowsAsync(TestDatabase db) =>
        (await db.QueryAsync("SELECT \"key\", \"_jirasync_status\" AS s, \"_sdc_deleted_at\" IS NOT NULL AS d FROM \"issues\""))
        .ToDictionary(r => (string)r["key"]!, r => ((string?)r["s"], (bool)r["d"]!));

    private static string[] KeysOf(SyncHarness h, string project) =>
        h.Sim.Control.Read(s => s.Issues.Where(i => !i.Deleted && i.Project.Key == project).Select(i => i.Key).ToArray());

    [Fact]
    public async Task Deleted_issue_no_access_project_archived_and_trashed_projects_each_get_their_status_and_children_follow()
    {
        await using var h = await SyncHarness.StartAsync(Small);
        await using var db = new TestDatabase("duckdb");
        await h.SyncAsync(db);
        var eng = KeysOf(h, "ENG");
        var ops = KeysOf(h, "OPS");
        var web = KeysOf(h, "WEB");
        var engIssueWithComments = h.Sim.Control.Read(s => s.Issues.First(i => i.Project.Key == "ENG" && i.Key != "ENG-2" && i.Comments.Count(c => !c.Deleted) > 0));

        h.Sim.Control.DeleteIssue("ENG-2");
        h.Sim.Control.SetBrowsePermission("OPS", false);
        h.Sim.Control.SetProjectStatus("WEB", ProjectStatus.Archived);
        h.Sim.Control.AdvanceClock(TimeSpan.FromMinutes(5));
        await h.SyncAsync(db);

        var rows = await IssueRowsAsync(db);
        Assert.Equal((RowStatusText.Deleted, true), rows["ENG-2"]);
        foreach (var k in eng.Where(k => k != "ENG-2")) Assert.Equal((null, false), rows[k]);
        foreach (var k in ops) Assert.Equal((RowStatusText.NoAccess, true), rows[k]);
        foreach (var k in web) Assert.Equal((RowStatusText.Archived, true), rows[k]);

        // Children leave with their issue, for the same reason.
        var opsIds = h.Sim.Control.Read(s => s.Issues.Where(i => i.Project.Key == "OPS").Select(i => i.Id.ToString()).ToHashSet());
        var comments = await db.QueryAsync("SELECT CAST(\"issueId\" AS VARCHAR) AS i, \"_jirasync_status\" AS s, \"_sdc_deleted_at\" IS NOT NULL AS d FROM \"issue_comments\"");
        foreach (var c in comments.Where(c => opsIds.Contains((string)c["i"]!))) Assert.Equal((RowStatusText.NoAccess, true), ((string?)c["s"], (bool)c["d"]!));
        foreach (var c in comments.Where(c => (string)c["i"]! == engIssueWithComments.Id.ToString())) Assert.Equal((null, false), ((string?)c["s"], (bool)c["d"]!));

        // The run's reconciliation explains the difference with the keys.
        var list = await CliRunner.RunAsync("runs", "--destination", db.Uri, "--json");
        var runId = (string)JsonNode.Parse(list.StdOut)!["runs"]![0]!["run_id"]!;
        var run = JsonNode.Parse((await CliRunner.RunAsync("runs", runId, "--destination", db.Uri, "--json")).StdOut)!;
        var opsRow = run["reconciliation"]!["tables"]!.AsArray().Single(t => (string)t!["table"]! == "issues" && (string)t["scope"]! == "OPS")!;
        Assert.Equal("explained", (string)opsRow["verdict"]!);
        Assert.Contains("no_access", (string)opsRow["note"]!);
        Assert.Equal(ops.Order().ToArray(), opsRow["affected_keys"]!.AsArray().Select(k => (string)k!).Order().ToArray());

        // A trashed project: its issues are deleted (it is in the recycle bin, not out of reach).
        h.Sim.Control.SetProjectStatus("ENG", ProjectStatus.Deleted);
        h.Sim.Control.AdvanceClock(TimeSpan.FromMinutes(5));
        await h.SyncAsync(db);
        rows = await IssueRowsAsync(db);
        foreach (var k in eng) Assert.Equal((RowStatusText.Deleted, true), rows[k]);
    }

    [Fact]
    public async Task A_project_visible_again_brings_its_rows_back_live_with_their_children()
    {
        await using var h = await SyncHarness.StartAsync(Small);
        await using var db = new TestDatabase("duckdb");
        await h.SyncAsync(db);
        var ops = KeysOf(h, "OPS");
        var opsIds = h.Sim.Control.Read(s => s.Issues.Where(i => !i.Deleted && i.Project.Key == "OPS").Select(i => i.Id.ToString()).ToHashSet());
        var opsComments = h.Sim.Control.Read(s => s.Issues.Where(i => i.Project.Key == "OPS").Sum(i => i.Comments.Count(c => !c.Deleted)));
        Assert.True(opsComments > 0);

        h.Sim.Control.SetBrowsePermission("OPS", false);
        h.Sim.Control.AdvanceClock(TimeSpan.FromMinutes(5));
        await h.SyncAsync(db);
        var rows = await IssueRowsAsync(db);
        foreach (var k in ops) Assert.Equal((RowStatusText.NoAccess, true), rows[k]);

        // Permission back; nothing in OPS changed, so its issues are older than the bookmark, and still they come back.
        h.Sim.Control.SetBrowsePermission("OPS", true);
        h.Sim.Control.AdvanceClock(TimeSpan.FromMinutes(5));
        var sync = await h.SyncAsync(db);
        // (Those changed within the look-back window come with the sweep; the rest are read again.)
        Assert.Contains("issue(s) search lists again (project visible again, restored, or listed late) are read again", sync.StdErr);
        rows = await IssueRowsAsync(db);
        foreach (var k in ops) Assert.Equal((null, false), rows[k]);
        var comments = await db.QueryAsync("SELECT CAST(\"issueId\" AS VARCHAR) AS i, \"_jirasync_status\" AS s, \"_sdc_deleted_at\" IS NOT NULL AS d FROM \"issue_comments\"");
        var back = comments.Where(c => opsIds.Contains((string)c["i"]!)).ToList();
        Assert.Equal(opsComments, back.Count);
        Assert.All(back, c => Assert.Equal((null, false), ((string?)c["s"], (bool)c["d"]!)));
        // And the reconciliation agrees: every table matches.
        var list = await CliRunner.RunAsync("runs", "--destination", db.Uri, "--json");
        var lastRun = (string)JsonNode.Parse(list.StdOut)!["runs"]![0]!["run_id"]!;
        var report = (await CliRunner.RunAsync("runs", lastRun, "--destination", db.Uri, "--json")).StdOut;
        Assert.True((string)JsonNode.Parse(list.StdOut)!["runs"]![0]!["reconciliation_verdict"]! == "match", report);
    }

    [Fact]
    public async Task A_moved_issue_keeps_its_row_and_id_under_the_new_key()
    {
        await using var h = await SyncHarness.StartAsync(Small);
        await using var db = new TestDatabase("duckdb");
        await h.SyncAsync(db);
        var id = h.Sim.Control.Read(s => s.IssuesByKey["ENG-3"].Id.ToString());

        var newKey = h.Sim.Control.MoveIssue("ENG-3", "OPS");
        h.Sim.Control.AdvanceClock(TimeSpan.FromMinutes(5));
        var sync = await h.SyncAsync(db);
        Assert.Contains("moved", sync.StdErr);

        var row = (await db.QueryAsync($"SELECT \"key\", \"_jirasync_status\" AS s, \"_sdc_deleted_at\" IS NOT NULL AS d FROM \"issues\" WHERE CAST(\"id\" AS VARCHAR) = '{id}'")).Single();
        Assert.Equal(newKey, (string)row["key"]!);
        Assert.StartsWith("OPS-", newKey);
        Assert.Equal(RowStatusText.Moved, (string?)row["s"]);
        Assert.False((bool)row["d"]!);
        Assert.Equal(KeysOf(h, "ENG").Length + KeysOf(h, "OPS").Length + KeysOf(h, "WEB").Length,
            (await Tables.KeysAsync(db, "issues", ["id"])).Count);

        // A later change of the moved issue keeps the status; the reconciliation still matches.
        h.Sim.Control.UpdateIssue(newKey);
        h.Sim.Control.AdvanceClock(TimeSpan.FromMinutes(5));
        await h.SyncAsync(db);
        Assert.Equal(RowStatusText.Moved, (string?)(await db.QueryAsync($"SELECT \"_jirasync_status\" AS s FROM \"issues\" WHERE \"key\" = '{newKey}'")).Single()["s"]);
        var verify = await CliRunner.RunAsync("verify", "--config", h.ConfigPath, "--destination", db.Uri);
        Assert.True(verify.ExitCode == 0, verify.StdOut + verify.StdErr);
    }

    [Fact]
    public async Task When_the_project_list_cannot_be_read_nothing_is_marked()
    {
        await using var h = await SyncHarness.StartAsync(Small);
        await using var db = new TestDatabase("duckdb");
        await h.SyncAsync(db, "--streams", "issues");

        h.Sim.Control.SetBrowsePermission("OPS", false);
        h.Sim.Control.AdvanceClock(TimeSpan.FromMinutes(5));
        h.Sim.Control.Faults.NextMalformed("/rest/api/2/project/search", MalformedKind.HtmlPage, count: 20);
        var sync = await h.SyncAsync(db, "--streams", "issues");
        Assert.Contains("project list could not be read", sync.StdErr);
        var rows = await IssueRowsAsync(db);
        Assert.All(rows.Values, r => Assert.Equal((null, false), r));

        // Once the list reads again, the next run marks them.
        h.Sim.Control.Faults.Clear();
        await h.SyncAsync(db, "--streams", "issues");
        rows = await IssueRowsAsync(db);
        foreach (var k in KeysOf(h, "OPS")) Assert.Equal((RowStatusText.NoAccess, true), rows[k]);
    }
}

/// <summary>The status values as a user reads them in the table (stated here, not taken from the code under test).</summary>
internal static class RowStatusText
{
    public const string Deleted = "deleted";
    public const string NoAccess = "no_access";
    public const string Archived = "archived";
    public const string Moved = "moved";
}
