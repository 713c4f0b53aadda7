using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using JiraSync.Jira;
using JiraSync.Logging;
using JiraSync.Simulator;
using JiraSync.Tests.Support;
using JiraSync.Tests.Simulator;
using JiraSync.Tests.Tap;

namespace JiraSync.Tests.Jira;

/// <summary>Jira's HTTP dialect beyond status codes: the XSRF header, and the reasons Jira gives in response
/// headers (login denial, rate-limit reason, deprecation), turned into messages that say what to do.</summary>
public class JiraDialectTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>
{
    private const string Browser = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36";
    private static readonly JiraClientOptions Fast = new() { BaseDelay = TimeSpan.FromMilliseconds(20), MaxDelay = TimeSpan.FromMilliseconds(200) };

    private JiraClient Client(MemoryLog log, string? userAgent = null)
    {
        fixture.Reset();
        var config = fixture.Config();
        if (userAgent != null) config = config with { UserAgent = userAgent };
        return new JiraClient(config, log, Fast);
    }

    [Fact]
    public async Task A_browser_like_user_agent_still_gets_every_issue_because_posts_carry_the_xsrf_header()
    {
        // Cloud's search is a POST: without X-Atlassian-Token the run exited 3 with 0 issues.
        await using var tap = await TapHarness.StartAsync(extraConfig: new Dictionary<string, object?> { ["user_agent"] = Browser });
        var run = await tap.RunAsync(TapHarness.AllSelected());
        Assert.Null(run.Error);
        var expected = tap.Simulator.Control.ExpectedKeys()["issues"];
        Assert.Equal(expected.Order(), run.Keys()["issues"].Order());
        Assert.Contains(tap.Simulator.Control.Requests.Entries, e => e.Method == "POST" && e.Status == 200);
    }

    [Fact]
    public async Task The_simulator_refuses_a_browser_post_without_the_token_as_jira_does()
    {
        fixture.Reset();
        using var sim = new SimulatorHttp(fixture.Sim);
        var http = sim.Client;
        async Task<(HttpStatusCode, string)> Post(string agent, bool token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(fixture.Sim.BaseUrl, "rest/api/2/search/jql"))
            {
                Content = new StringContent("""{"jql":"project in (ENG, OPS) ORDER BY id ASC","maxResults":1,"fields":["id"]}""", System.Text.Encoding.UTF8, "application/json"),
            };
            request.Headers.TryAddWithoutValidation("User-Agent", agent);
            if (token) request.Headers.Add("X-Atlassian-Token", "no-check");
            using var response = await http.SendAsync(request);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }
        Assert.Equal((HttpStatusCode.Forbidden, "XSRF check failed"), await Post(Browser, token: false));
        Assert.Equal(HttpStatusCode.OK, (await Post(Browser, token: true)).Item1);
        Assert.Equal(HttpStatusCode.OK, (await Post("curl/8.5.0", token: false)).Item1);
    }

    [Fact]
    public async Task A_captcha_challenge_says_to_log_in_once_in_a_browser_and_is_exit_3()
    {
        var log = new MemoryLog();
        using var client = Client(log);
        fixture.Sim.Control.Faults.NextCaptchaChallenge(pathPrefix: "/rest/api/2/myself");
        var error = await Assert.ThrowsAsync<JiraUnauthorizedException>(() => client.GetAsync("rest/api/2/myself"));
        Assert.Equal(3, error.ExitCode);
        Assert.StartsWith("Jira refused the login", error.Message);
        Assert.Contains("CAPTCHA", error.Message);
        Assert.Contains($"log in once in a browser at {fixture.Sim.BaseUrl}login.jsp", error.Message);
    }

    [Fact]
    public async Task A_403_without_a_login_reason_names_the_resource_and_the_missing_permission()
    {
        await using var sim = await JiraSimulator.StartAsync(new SimulatorOptions { AdminPermissions = false, Projects = 1, IssuesPerProject = 1, Users = 3, HeavyIssues = 0, WorklogsAtOneInstant = 0 });
        using var client = new JiraClient(sim.ClientConfig(), new MemoryLog(), Fast);
        var error = await Assert.ThrowsAsync<JiraForbiddenException>(() => client.GetAsync("rest/api/2/role"));
        Assert.DoesNotContain("credentials", error.Message);
        Assert.Contains("may not read rest/api/2/role", error.Message);
        Assert.Contains("Administer Jira", error.Message);
        // A second resource: group members need "Browse users and groups".
        var members = await Assert.ThrowsAsync<JiraForbiddenException>(() => client.GetAsync("rest/api/2/group/member?groupname=jira-software-users"));
        Assert.Contains("Browse users and groups", members.Message);
    }

    [Fact]
    public async Task A_rate_limit_reason_is_in_the_retry_line_and_in_the_final_error()
    {
        var log = new MemoryLog();
        using var client = Client(log);
        fixture.Sim.Control.Faults.Next429(count: 1, retryAfterSeconds: 1, pathPrefix: "/rest/api/2/myself");
        await client.GetAsync("rest/api/2/myself");
        Assert.Contains(log.Lines, l => l.StartsWith("WARNING") && l.Contains("429") && l.Contains("jira-burst-based") && l.Contains("max_concurrency"));

        // An exhausted hourly quota asks for an hour: the error says why and what happens next.
        fixture.Sim.Control.Faults.Next429(count: 1, retryAfterSeconds: 3600, pathPrefix: "/rest/api/2/myself", reason: "jira-quota-tenant-based");
        var error = await Assert.ThrowsAsync<JiraRequestException>(() => client.GetAsync("rest/api/2/myself"));
        Assert.Contains("jira-quota-tenant-based", error.Message);
        Assert.Contains("quota is used up", error.Message);
    }

    [Fact]
    public async Task A_deprecation_notice_is_one_warning_per_endpoint()
    {
        var log = new MemoryLog();
        using var client = Client(log);
        fixture.Sim.Control.Faults.NextDeprecationNotice("/rest/api/2/status", count: 3);
        for (var i = 0; i < 3; i++) await client.GetAsync("rest/api/2/status");
        var warning = Assert.Single(log.Lines, l => l.Contains("deprecated"));
        Assert.StartsWith("WARNING Jira marks rest/api/2/status as deprecated", warning);
        Assert.Contains("01 Aug 2026", warning);
    }
}
