using System.Diagnostics;
using JiraSync.Simulator;

namespace JiraSync.Tests.Simulator;

/// <summary>The benchmark's response cache serves repeated requests (POST bodies included) unchanged and never a
/// stale page after the data changed; the per-KiB latency delays a large page by at least its size's share.</summary>
public sealed class ResponseCacheTests
{
    [Fact]
    public async Task Cached_answers_equal_fresh_ones_and_a_change_is_seen_at_once()
    {
        await using var cached = await JiraSimulator.StartAsync(new SimulatorOptions { Projects = 2, IssuesPerProject = 10, CacheResponses = true });
        await using var plain = await JiraSimulator.StartAsync(new SimulatorOptions { Projects = 2, IssuesPerProject = 10 });
        using var c = new SimulatorHttp(cached);
        using var p = new SimulatorHttp(plain);
        var body = new { jql = "project = ENG ORDER BY id", fields = new[] { "summary", "status", "updated" } };

        var first = (await c.PostOk("rest/api/2/search/jql", body)).GetRawText();
        var again = (await c.PostOk("rest/api/2/search/jql", body)).GetRawText();
        Assert.Equal(first, again);
        // The same data from a simulator without the cache (self links differ only in the port).
        Assert.Equal((await p.PostOk("rest/api/2/search/jql", body)).GetRawText().Replace(plain.BaseUrl.ToString(), cached.BaseUrl.ToString()), first);
        // A different body is a different request, not the cached one.
        var other = await c.PostOk("rest/api/2/search/jql", new { jql = "project = OPS ORDER BY id", fields = new[] { "summary" } });
        Assert.All(other.GetProperty("issues").EnumerateArray(), i => Assert.StartsWith("OPS-", i.GetProperty("key").GetString()));

        cached.Control.AdvanceClock(TimeSpan.FromMinutes(1));
        cached.Control.UpdateIssue("ENG-1");
        var after = await c.PostOk("rest/api/2/search/jql", body);
        var eng1 = after.GetProperty("issues").EnumerateArray().Single(i => i.GetProperty("key").GetString() == "ENG-1");
        Assert.Equal(cached.Control.Now, JiraTimestamp.Parse(eng1.GetProperty("fields").GetProperty("updated").GetString()!));
        Assert.Equal(4, cached.Control.RequestCount); // every request is still logged, cached or not
    }

    [Fact]
    public async Task A_cached_answer_carries_the_current_rate_limit_budget_not_the_cached_one()
    {
        await using var sim = await JiraSimulator.StartAsync(new SimulatorOptions
        {
            Projects = 1, IssuesPerProject = 5, CacheResponses = true, RateLimitPerSecond = 0.1, RateLimitBurst = 10,
        });
        using var http = new SimulatorHttp(sim);
        var remaining = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var (status, _, response) = await http.Get("rest/api/2/project/search");
            Assert.Equal(System.Net.HttpStatusCode.OK, status);
            remaining.Add(response.Headers.GetValues("X-RateLimit-Remaining").Single());
        }
        Assert.Equal(new[] { "9", "8", "7" }, remaining);
    }

    [Fact]
    public async Task A_page_waits_its_size_times_the_per_KiB_latency()
    {
        await using var sim = await JiraSimulator.StartAsync(new SimulatorOptions { Projects = 1, IssuesPerProject = 50, LatencyPerKiBMs = 2 });
        using var http = new SimulatorHttp(sim, gzip: false);
        var clock = Stopwatch.StartNew();
        var response = await http.Client.GetAsync("rest/api/2/search/jql?jql=project%3DENG&fields=*all&maxResults=50");
        var bytes = (await response.Content.ReadAsByteArrayAsync()).Length;
        clock.Stop();
        Assert.True(bytes > 50 * 1024, $"the page should be large enough to measure ({bytes} bytes)");
        Assert.True(clock.Elapsed.TotalMilliseconds >= 2.0 * bytes / 1024, $"{bytes} bytes took {clock.Elapsed.TotalMilliseconds:0} ms");
    }
}
