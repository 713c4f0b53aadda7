using JiraSync.Simulator;
using JiraSync.Streams;

namespace JiraSync.Tests.Tap;

/// <summary>Data Center's search window: past startAt + maxResults = window the legacy search answers 500 "Search limit
/// exceeded". The simulator's Server mode has the window (small here: 50); every issue must still arrive, with no
/// retried 500.</summary>
public class SearchWindowTests
{
    private static SimulatorOptions Server(int issuesPerProject) => new()
    {
        Deployment = Deployment.Server, SearchWindow = 50, Projects = 2, IssuesPerProject = issuesPerProject,
        Users = 5, HeavyIssues = 0, WorklogsAtOneInstant = 0,
    };

    private static readonly Dictionary<string, object?> SmallPages = new() { ["page_size"] = 10, ["lookback_minutes"] = 15 };

    private static void AssertNoRetriedLimitErrors(TapHarness h, TapRun run)
    {
        var limited = h.Simulator.Control.Requests.Entries.Where(e => e.Status == 500).ToList();
        // Each refused request was sent once: a stated limit is not retried.
        Assert.Equal(limited.Count, limited.Select(e => e.PathAndQuery).Distinct().Count());
        Assert.DoesNotContain(run.Log.Lines, l => l.Contains("retrying"));
    }

    [Fact]
    public async Task A_sweep_larger_than_the_window_gets_every_issue_without_retrying_the_limit()
    {
        await using var h = await TapHarness.StartAsync(Server(issuesPerProject: 70), SmallPages);
        var run = await h.RunAsync(TapHarness.AllSelected());
        Assert.Null(run.Error);
        var expected = h.Simulator.Control.ExpectedKeys();
        Assert.Equal(140, expected["issues"].Count);
        Assert.Equal(expected["issues"].Order(), run.Keys()["issues"].Order());
        Assert.Equal(expected["worklogs"].Order(), run.Keys()["worklogs"].Order());
        // Each issue once (slices overlap by a minute; the repeats are dropped).
        Assert.Equal(140, run.RecordsOf("issues").Count());
        AssertNoRetriedLimitErrors(h, run);
        // Every search the client sent stayed inside the window once it knew it.
        Assert.Contains(h.Simulator.Control.Requests.Entries, e => e.PathAndQuery.Contains("/rest/api/2/search") && e.Status == 200 && e.PathAndQuery.Contains("updated%20%3E%3D"));
    }

    [Fact]
    public async Task More_issues_in_one_minute_than_the_window_holds_are_read_by_id()
    {
        await using var h = await TapHarness.StartAsync(Server(issuesPerProject: 40), SmallPages);
        // 70 issues updated at one instant (the simulator's clock does not move by itself): one minute > window.
        foreach (var key in Enumerable.Range(1, 35).SelectMany(n => new[] { $"ENG-{n}", $"OPS-{n}" })) h.Simulator.Control.UpdateIssue(key);
        var catalog = Discovery.BuildCatalog(isServer: true);
        catalog.Find("issues")!.Metadata.Set([], "selected", true);
        var run = await h.RunAsync(catalog);
        Assert.Null(run.Error);
        var expected = h.Simulator.Control.ExpectedKeys()["issues"];
        Assert.Equal(80, expected.Count);
        Assert.Equal(expected.Order(), run.Keys()["issues"].Order());
        Assert.Equal(80, run.RecordsOf("issues").Count());
        AssertNoRetriedLimitErrors(h, run);
        // The crowded minute was read on its own, ordered by id.
        Assert.Contains(h.Simulator.Control.Requests.Entries, e => e.Status == 200 && e.PathAndQuery.Contains("ORDER%20BY%20id%20ASC") && e.PathAndQuery.Contains("updated%20%3C%20"));
    }
}
