using JiraSync.Simulator;

namespace JiraSync.Tests.Simulator;

/// <summary>worklog/updated paging: 1000 per page, since inclusive, until = newest on the page, and the
/// stall a client must detect when more than 1000 worklogs share one millisecond.</summary>
public sealed class WorklogFeedTests
{
    [Fact]
    public async Task More_than_a_page_of_worklogs_at_one_millisecond_makes_since_unable_to_advance()
    {
        await using var sim = await JiraSimulator.StartAsync(new SimulatorOptions
        {
            Projects = 1, IssuesPerProject = 90, HeavyIssues = 80, WorklogsAtOneInstant = 1100,
        });
        using var http = new SimulatorHttp(sim);
        var shared = sim.Control.Read(s => s.WorklogsById.Values.GroupBy(w => w.UpdatedMs).Max(g => g.Count()));
        Assert.Equal(1100, shared);

        long since = 0;
        var seen = new HashSet<long>();
        var stalled = false;
        for (var guard = 0; guard < 10; guard++)
        {
            var page = await http.GetOk($"rest/api/2/worklog/updated?since={since}");
            var values = page.GetProperty("values").EnumerateArray().ToList();
            Assert.True(values.Count <= 1000);
            Assert.Equal(since, page.GetProperty("since").GetInt64());
            foreach (var v in values) seen.Add(v.GetProperty("worklogId").GetInt64());
            var times = values.Select(v => v.GetProperty("updatedTime").GetInt64()).ToList();
            Assert.Equal(times.Order(), times);   // oldest first
            if (page.GetProperty("lastPage").GetBoolean()) break;
            Assert.Equal(1000, values.Count);
            var until = page.GetProperty("until").GetInt64();
            Assert.Equal(times[^1], until);
            Assert.EndsWith($"since={until}", page.GetProperty("nextPage").GetString());
            if (until == since) { stalled = true; break; }   // the next page would be this page again
            since = until;
        }
        Assert.True(stalled, "expected a full page whose until equals since");
        Assert.True(seen.Count < sim.Control.ExpectedKeys()["worklogs"].Count);
    }

    [Fact]
    public async Task Boundary_items_repeat_because_since_is_inclusive()
    {
        await using var sim = await JiraSimulator.StartAsync(new SimulatorOptions { Projects = 1, IssuesPerProject = 20, HeavyIssues = 0 });
        using var http = new SimulatorHttp(sim);
        var first = await http.GetOk("rest/api/2/worklog/updated?since=0");
        var values = first.GetProperty("values").EnumerateArray().ToList();
        Assert.True(first.GetProperty("lastPage").GetBoolean());
        Assert.Equal(sim.Control.ExpectedKeys()["worklogs"].Count, values.Count);
        var last = values[^1];
        var again = await http.GetOk($"rest/api/2/worklog/updated?since={last.GetProperty("updatedTime").GetInt64()}");
        Assert.Contains(again.GetProperty("values").EnumerateArray(), v => v.GetProperty("worklogId").GetInt64() == last.GetProperty("worklogId").GetInt64());
    }
}
