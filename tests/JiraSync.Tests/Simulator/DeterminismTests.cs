using JiraSync.Simulator;

namespace JiraSync.Tests.Simulator;

/// <summary>Data derives from the seed alone: same seed, same bytes (apart from the port in self URLs).</summary>
public sealed class DeterminismTests
{
    private static async Task<string> Snapshot(int seed)
    {
        await using var sim = await JiraSimulator.StartAsync(new SimulatorOptions { Seed = seed, Projects = 2, IssuesPerProject = 10, HeavyIssues = 1 });
        using var http = new SimulatorHttp(sim);
        var search = await http.PostOk("rest/api/2/search/jql", new { jql = "project in (ENG, OPS) ORDER BY id ASC", fields = new[] { "*all" }, expand = "changelog", maxResults = 100 });
        var users = await http.GetOk("rest/api/2/users/search?maxResults=100");
        var worklogs = await http.GetOk("rest/api/2/worklog/updated?since=0");
        return (search.GetRawText() + users.GetRawText() + worklogs.GetRawText()).Replace(sim.BaseUrl.ToString(), "BASE/");
    }

    [Fact]
    public async Task Same_seed_gives_identical_responses_and_another_seed_differs()
    {
        var a = await Snapshot(7);
        var b = await Snapshot(7);
        var c = await Snapshot(8);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }
}
