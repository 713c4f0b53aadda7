using System.Text.Json.Nodes;
using JiraSync.Simulator;
using JiraSync.Tests.Loading;
using JiraSync.Tests.Support;

namespace JiraSync.Tests.Tap;

/// <summary>Partial permissions never stop the run: a configured project that is not visible is left out of every
/// search, and a lookup several streams share answering 403/404 skips those streams with one warning each.</summary>
public class PartialPermissionTests
{
    private static Dictionary<string, object?> Projects(params string[] keys) => new() { ["projects"] = keys };

    private static List<string> ProjectKeysOf(TapRun run) =>
        run.RecordsOf("issues").Select(r => (string)r.Record["fields"]!["project"]!["key"]!).Distinct().Order().ToList();

    [Theory]
    [InlineData("GONE")]      // does not exist
    [InlineData("SECRET")]    // exists, but the user may not browse it
    public async Task A_configured_project_that_is_not_visible_is_warned_once_and_the_rest_is_extracted(string missing)
    {
        await using var h = await TapHarness.StartAsync(extraConfig: Projects("ENG", missing));
        var run = await h.RunAsync(TapHarness.AllSelected());
        Assert.Null(run.Error);
        Assert.Equal(["ENG"], ProjectKeysOf(run));
        Assert.Equal(12, run.RecordsOf("issues").Count()); // every ENG issue (TapHarness: 12 per project)
        Assert.Single(run.Log.Lines, l => l.Contains($"project '{missing}'"));
        // No search named the missing project, so none answered 400.
        Assert.DoesNotContain(h.Simulator.Control.Requests.Entries, e => e.Status == 400);
        // The same issues as a run configured with ENG alone.
        await using var only = await TapHarness.StartAsync(extraConfig: Projects("ENG"));
        var reference = await only.RunAsync(TapHarness.AllSelected());
        Assert.Equal(reference.Keys()["issues"].Order(), run.Keys()["issues"].Order());
    }

    [Fact]
    public async Task Check_names_a_configured_project_that_is_not_visible_and_exits_2()
    {
        await using var h = await TapHarness.StartAsync(extraConfig: Projects("ENG", "GONE"));
        var result = await CliRunner.RunAsync("check", "--config", h.ConfigPath);
        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("error: \"projects\" names 'GONE', which does not exist or is not visible to this user; visible projects: ENG, OPS", line);
    }

    [Fact]
    public async Task A_forbidden_project_list_skips_the_project_streams_with_one_warning_each_and_loads_the_rest()
    {
        await using var h = await TapHarness.StartAsync();
        h.Simulator.Control.Faults.NextForbidden("/rest/api/2/project/search", count: 100);
        var run = await h.RunAsync(TapHarness.AllSelected());
        Assert.Null(run.Error);
        foreach (var stream in new[] { "projects", "versions", "components" })
        {
            Assert.Empty(run.RecordsOf(stream));
            var warning = Assert.Single(run.Log.Lines, l => l.StartsWith($"WARNING {stream}: skipped:"));
            Assert.Contains("rest/api/2/project/search", warning);
            Assert.Contains("Browse projects", warning);
        }
        // One request for the list, not one per stream.
        Assert.Single(h.Simulator.Control.Requests.Entries, e => e.PathAndQuery.StartsWith("/rest/api/2/project/search"));
        var expected = h.Simulator.Control.ExpectedKeys();
        Assert.Equal(expected["issues"].Order(), run.Keys()["issues"].Order());
        Assert.Equal(expected["users"].Order(), run.Keys()["users"].Order());
    }

    [Fact]
    public async Task A_users_search_answering_404_skips_users_and_sync_reports_the_skip()
    {
        await using var h = await SyncHarness.StartAsync(new SimulatorOptions { Projects = 1, IssuesPerProject = 5, Users = 6, HeavyIssues = 0, WorklogsAtOneInstant = 0 });
        h.Sim.Control.Faults.NextNotFound("/rest/api/2/users/search", count: 100);
        var dir = Directory.CreateTempSubdirectory("jirasync-skip-").FullName;
        try
        {
            var sync = await CliRunner.RunAsync("sync", "--config", h.ConfigPath, "--destination", "jsonl:" + dir);
            Assert.True(sync.ExitCode == 0, sync.StdErr);
            Assert.Contains("WARNING users: skipped: GET", sync.StdErr);
            Assert.Contains("skipped 1 stream(s) Jira refused: users", sync.StdErr);
            Assert.Equal(5, File.ReadLines(Path.Combine(dir, "issues.jsonl")).Count());

            var runs = await CliRunner.RunAsync("runs", "--destination", "jsonl:" + dir, "--json");
            Assert.True(runs.ExitCode == 0, runs.StdErr);
            var last = JsonNode.Parse(runs.StdOut)!["runs"]!.AsArray().Last()!;
            Assert.Equal("succeeded", (string?)last["status"]);
            var shown = await CliRunner.RunAsync("runs", (string)last["run_id"]!, "--destination", "jsonl:" + dir);
            Assert.Contains("users (skipped)", shown.StdOut);
            Assert.Contains("skipped: GET", shown.StdOut);
        }
        finally { Directory.Delete(dir, true); }
    }
}
