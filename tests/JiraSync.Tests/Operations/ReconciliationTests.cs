using System.Text.Json.Nodes;
using JiraSync.Simulator;
using JiraSync.Tests.Loading;
using JiraSync.Tests.Support;

namespace JiraSync.Tests.Operations;

/// <summary>Every sync ends with a reconciliation stored with the run; `verify` runs it alone. Expected counts come from
/// the simulator's model, never from the code under test.</summary>
public sealed class ReconciliationTests
{
    private static SimulatorOptions Small => new() { Projects = 2, IssuesPerProject = 12, HeavyIssues = 1, WorklogsAtOneInstant = 0 };

    private static async Task<JsonObject> LatestRunAsync(TestDatabase db)
    {
        var list = await CliRunner.RunAsync("runs", "--destination", db.Uri, "--json");
        Assert.Equal(0, list.ExitCode);
        var id = (string)JsonNode.Parse(list.StdOut)!["runs"]![0]!["run_id"]!;
        var run = await CliRunner.RunAsync("runs", id, "--destination", db.Uri, "--json");
        Assert.Equal(0, run.ExitCode);
        return JsonNode.Parse(run.StdOut)!.AsObject();
    }

    private static JsonObject Table(JsonObject reconciliation, string table, string scope) =>
        reconciliation["tables"]!.AsArray().Select(t => t!.AsObject()).Single(t => (string)t["table"]! == table && (string)t["scope"]! == scope);

    [Theory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task Full_and_incremental_runs_reconcile_to_match_with_Jiras_own_counts(string kind)
    {
        await using var h = await SyncHarness.StartAsync(Small);
        await using var db = new TestDatabase(kind);
        await h.SyncAsync(db);

        var run = await LatestRunAsync(db);
        var rec = run["reconciliation"]!.AsObject();
        Assert.Equal("match", (string)rec["verdict"]!);
        var perProject = h.Sim.Control.Read(s => s.Issues.Where(s.IsVisible).GroupBy(i => i.Project.Key).ToDictionary(g => g.Key, g => g.Count()));
        foreach (var (project, count) in perProject)
        {
            var row = Table(rec, "issues", project);
            Assert.Equal(count, (long)row["jira_count"]!);
            Assert.Equal(count, (long)row["row_count"]!);
        }
        var histories = h.Sim.Control.Read(s => s.Issues.Where(s.IsVisible).Sum(i => i.Histories.Count));
        Assert.Equal(histories, (long)Table(rec, "changelogs", "*")["jira_count"]!);
        Assert.Equal(histories, (long)Table(rec, "changelogs", "*")["row_count"]!);
        var comments = h.Sim.Control.Read(s => s.Issues.Where(s.IsVisible).Sum(i => i.Comments.Count(c => !c.Deleted)));
        Assert.Equal(comments, (long)Table(rec, "issue_comments", "*")["row_count"]!);

        // Changes of every kind, then an incremental run: still a match, and verify agrees.
        h.Sim.Control.UpdateIssue("ENG-2");
        h.Sim.Control.AddComment("ENG-4");
        h.Sim.Control.AddWorklog("OPS-3");
        h.Sim.Control.AddIssue("OPS");
        h.Sim.Control.DeleteIssue("ENG-5");
        h.Sim.Control.AdvanceClock(TimeSpan.FromMinutes(5));
        await h.SyncAsync(db);
        rec = (await LatestRunAsync(db))["reconciliation"]!.AsObject();
        Assert.Equal("match", (string)rec["verdict"]!);
        var engRow = Table(rec, "issues", "ENG");
        Assert.Equal(perProject["ENG"] - 1, (long)engRow["row_count"]!);
        Assert.Equal("match", (string)engRow["verdict"]!);
        Assert.Equal(["ENG-5"], engRow["affected_keys"]!.AsArray().Select(k => (string)k!).ToArray());
        Assert.Contains("marked deleted", (string)engRow["note"]!);
        Assert.Equal(perProject["OPS"] + 1, (long)Table(rec, "issues", "OPS")["jira_count"]!);

        var verify = await CliRunner.RunAsync("verify", "--config", h.ConfigPath, "--destination", db.Uri, "--json");
        Assert.True(verify.ExitCode == 0, verify.StdErr);
        Assert.Equal("match", (string)JsonNode.Parse(verify.StdOut)!["verdict"]!);
    }

    [Fact]
    public async Task Search_lagging_behind_writes_is_an_unexplained_difference_naming_the_issue_and_never_a_deletion()
    {
        await using var h = await SyncHarness.StartAsync(Small);
        await using var db = new TestDatabase("duckdb");
        await h.SyncAsync(db);

        h.Sim.Control.SearchLag = TimeSpan.FromMinutes(30);
        h.Sim.Control.UpdateIssue("ENG-3");
        h.Sim.Control.AdvanceClock(TimeSpan.FromMinutes(2));
        var sync = await h.SyncAsync(db);
        Assert.Contains("ENG-3", sync.StdErr);

        var rec = (await LatestRunAsync(db))["reconciliation"]!.AsObject();
        Assert.Equal("unexplained", (string)rec["verdict"]!);
        var eng = Table(rec, "issues", "ENG");
        Assert.Equal("unexplained", (string)eng["verdict"]!);
        Assert.Equal(["ENG-3"], eng["affected_keys"]!.AsArray().Select(k => (string)k!).ToArray());
        Assert.Contains("search does not list it", (string)eng["note"]!);
        Assert.Equal("match", (string)Table(rec, "issues", "OPS")["verdict"]!);
        // The row is still live: a lagging search never turns into a deletion.
        Assert.Contains(h.Sim.Control.Read(s => s.IssuesByKey["ENG-3"].Id.ToString()), await Tables.KeysAsync(db, "issues", ["id"]));

        // The HTML report has the section, the history its verdict.
        var html = Path.Combine(db.Dir, "report.html");
        Assert.Equal(0, (await CliRunner.RunAsync("runs", "--destination", db.Uri, "--html", html)).ExitCode);
        var page = await File.ReadAllTextAsync(html);
        var section = page[page.IndexOf("<h2>Reconciliation</h2>", StringComparison.Ordinal)..];
        Assert.Contains("unexplained", section);
        Assert.Contains("ENG-3", section);
        var history = JsonNode.Parse((await CliRunner.RunAsync("runs", "--destination", db.Uri, "--json")).StdOut)!;
        Assert.Equal(["unexplained", "match"], history["runs"]!.AsArray().Select(r => (string)r!["reconciliation_verdict"]!).ToArray());

        var verify = await CliRunner.RunAsync("verify", "--config", h.ConfigPath, "--destination", db.Uri);
        Assert.Equal(1, verify.ExitCode);
        Assert.Contains("ENG-3", verify.StdErr);
        Assert.Contains("search", verify.StdOut);
    }

    [Fact]
    public async Task A_project_whose_permission_was_dropped_makes_verify_fail_with_its_keys()
    {
        await using var h = await SyncHarness.StartAsync(Small);
        await using var db = new TestDatabase("duckdb");
        await h.SyncAsync(db);

        h.Sim.Control.SetBrowsePermission("OPS", false);
        var verify = await CliRunner.RunAsync("verify", "--config", h.ConfigPath, "--destination", db.Uri, "--json");
        Assert.Equal(1, verify.ExitCode);
        Assert.Contains("OPS", verify.StdErr);
        var ops = Table(JsonNode.Parse(verify.StdOut)!.AsObject(), "issues", "OPS");
        Assert.Equal(0, (long)ops["jira_count"]!);
        Assert.Equal(12, (long)ops["row_count"]!);
        Assert.Contains("not visible", (string)ops["note"]!);
        Assert.Equal(Reconciliation.Reconciler.MaxAffectedKeys > 12 ? 12 : Reconciliation.Reconciler.MaxAffectedKeys, ops["affected_keys"]!.AsArray().Count);
        Assert.Equal("OPS-1", (string)ops["affected_keys"]![0]!);
    }
    [Fact]
    public async Task An_issue_moved_to_a_project_the_sync_does_not_cover_is_an_explained_difference_naming_its_new_key()
    {
        await using var h = await SyncHarness.StartAsync(Small);
        await using var db = new TestDatabase("duckdb");
        var engOnly = h.Sim.WriteConfig(Path.Combine(db.Dir, "eng.json"), new Dictionary<string, object?> { ["projects"] = new[] { "ENG" } });
        var sync = await CliRunner.RunAsync("sync", "--config", engOnly, "--destination", db.Uri);
        Assert.True(sync.ExitCode == 0, sync.StdErr);

        // ENG-3 leaves for OPS, which this sync does not cover: its row stays under ENG until the sync of OPS loads it.
        var newKey = h.Sim.Control.MoveIssue("ENG-3", "OPS");
        var verify = await CliRunner.RunAsync("verify", "--config", engOnly, "--destination", db.Uri, "--json");
        Assert.True(verify.ExitCode == 0, verify.StdOut + verify.StdErr);
        var eng = Table(JsonNode.Parse(verify.StdOut)!.AsObject(), "issues", "ENG");
        Assert.Equal("explained", (string)eng["verdict"]!);
        Assert.Equal((long)eng["jira_count"]! + 1, (long)eng["row_count"]!);
        Assert.Contains($"moved to {newKey}", (string)eng["note"]!);
    }
}
