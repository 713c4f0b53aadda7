using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using JiraSync.Errors;
using JiraSync.Jira;
using JiraSync.Logging;
using JiraSync.Simulator.Control;

namespace JiraSync.Tests.Jira;

/// <summary>JiraClient against the running simulator over real HTTPS.</summary>
public class JiraClientTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>
{
    // Short backoff so failure tests take milliseconds; the 429 pause still uses what Jira says.
    private static readonly JiraClientOptions Fast = new() { BaseDelay = TimeSpan.FromMilliseconds(20), MaxDelay = TimeSpan.FromMilliseconds(200) };

    private JiraClient Client(MemoryLog? log = null, int maxConcurrency = 4, JiraClientOptions? options = null)
    {
        fixture.Reset();
        var config = fixture.Config(maxConcurrency);
        return new JiraClient(config, log ?? new MemoryLog(new Redactor(config.Secrets())), options ?? Fast);
    }

    private SimulatorControl Control => fixture.Sim.Control;

    [Fact]
    public async Task Basic_auth_over_verified_tls_with_ca_cert()
    {
        using var client = Client();
        var info = await JiraSession.LoadAsync(client, null, CancellationToken.None);
        Assert.Equal("Cloud", info.DeploymentType);
        Assert.False(string.IsNullOrEmpty(info.AccountId));
        Assert.Equal("America/New_York", info.TimeZone?.Id);
        Assert.Equal("myself", info.TimeZoneSource);
        Assert.Contains("from ca_cert", client.Tls.VerifiedBy);
        Assert.Equal(2, await ConnectionCheck.CountProjectsAsync(client, cloud: true, CancellationToken.None));
    }

    [Fact]
    public async Task Retry_after_2_delays_the_next_request_by_about_2_seconds()
    {
        using var client = Client();
        Control.Faults.Next429(count: 1, retryAfterSeconds: 2, pathPrefix: "/rest/api/2/myself");
        var clock = Stopwatch.StartNew();
        var me = await client.GetAsync("rest/api/2/myself");
        clock.Stop();

        Assert.Equal(JsonValueKind.Object, me.ValueKind);
        var log = Control.Requests.Entries.Where(e => e.PathAndQuery.StartsWith("/rest/api/2/myself")).ToArray();
        Assert.Equal([429, 200], log.Select(e => e.Status));
        var gap = log[1].ArrivedAt - log[0].ArrivedAt; // when each was sent (arrival), not when its log line was written
        Assert.InRange(gap.TotalSeconds, 1.9, 4.0);
        Assert.InRange(clock.Elapsed.TotalSeconds, 1.9, 5.0);
        Assert.Equal(1, client.Metrics.RateLimited);
        Assert.Equal(1, client.Metrics.Retries);
    }

    [Fact]
    public async Task A_429_pauses_every_worker_not_only_the_one_told()
    {
        using var client = Client(maxConcurrency: 4);
        Control.Faults.Next429(count: 1, retryAfterSeconds: 2, pathPrefix: "/rest/api/2/myself");
        var first = client.GetAsync("rest/api/2/myself");
        // Wait until the 429 has arrived and closed the gate, then start other workers on other endpoints.
        var wait = Stopwatch.StartNew();
        while (client.Gate.Remaining == TimeSpan.Zero && wait.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(5);
        Assert.True(client.Gate.Remaining > TimeSpan.Zero, "the 429 did not close the gate");
        var others = new[] { "rest/api/2/serverInfo", "rest/api/2/priority", "rest/api/2/status" }.Select(p => client.GetAsync(p)).ToArray();
        await Task.WhenAll(others.Append(first));

        var entries = Control.Requests.Entries;
        var limited = entries.Single(e => e.Status == 429);
        foreach (var other in entries.Where(e => !e.PathAndQuery.StartsWith("/rest/api/2/myself")))
            // Arrival times: the 429's own log line is written after the client may have read it (late under load).
            Assert.True((other.ArrivedAt - limited.ArrivedAt).TotalSeconds >= 1.8,
                $"{other.PathAndQuery} arrived {(other.ArrivedAt - limited.ArrivedAt).TotalSeconds:0.00} s after the request that got the 429");
    }

    [Fact]
    public async Task A_request_cut_short_because_the_client_is_disposed_is_neither_a_timeout_nor_retried()
    {
        // As when another request of the run fails and the run ends: the ones still in flight are cancelled by the
        // client's disposal, not by request_timeout (300 s); warning "no answer within request_timeout" was false.
        var log = new MemoryLog();
        var client = Client(log);
        Control.LatencyMs = 3000;
        var pending = client.GetAsync("rest/api/2/priority");
        var wait = Stopwatch.StartNew();
        while (Control.Requests.Count == 0 && Metrics(client) == 0 && wait.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(10);
        await Task.Delay(200); // the request is on the wire, the simulator holding its answer
        client.Dispose();
        await Assert.ThrowsAnyAsync<Exception>(() => pending);
        Assert.DoesNotContain(log.Lines, l => l.Contains("request_timeout"));
        Assert.Equal(0, client.Metrics.Retries);
        Assert.Equal(1, client.Metrics.Requests);

        static long Metrics(JiraClient c) => c.Metrics.Requests;
    }

    [Fact]
    public async Task A_503_burst_is_survived_with_backoff()
    {
        var log = new MemoryLog();
        using var client = Client(log);
        Control.Faults.Next503(count: 4, pathPrefix: "/rest/api/2/priority");
        var priorities = await client.GetAsync("rest/api/2/priority");

        Assert.Equal(JsonValueKind.Array, priorities.ValueKind);
        Assert.Equal([503, 503, 503, 503, 200], Control.Requests.Entries.Select(e => e.Status));
        Assert.Equal(4, client.Metrics.Retries);
        Assert.Equal(4, log.Lines.Count(l => l.StartsWith("WARNING ") && l.Contains("HTTP 503")));
    }

    [Fact]
    public async Task Failures_beyond_the_budget_end_with_a_clear_error()
    {
        using var client = Client(options: Fast with { MaxAttempts = 3 });
        Control.Faults.Next500(count: 5, pathPrefix: "/rest/api/2/status");
        var ex = await Assert.ThrowsAsync<JiraRequestException>(() => client.GetAsync("rest/api/2/status"));
        Assert.Equal(500, ex.StatusCode);
        Assert.Contains("rest/api/2/status", ex.Message);
        Assert.Contains("3 times", ex.Message);
        Assert.Equal(3, Control.Requests.Entries.Count);
    }

    [Fact]
    public async Task Not_found_is_typed_and_not_retried()
    {
        using var client = Client();
        var ex = await Assert.ThrowsAsync<JiraNotFoundException>(() => client.GetAsync("rest/api/2/issue/NOPE-999/comment"));
        Assert.Contains("404", ex.Message);
        Assert.Single(Control.Requests.Entries);
        Assert.Equal(0, client.Metrics.Retries);
    }

    [Fact]
    public async Task Html_instead_of_json_names_url_and_status()
    {
        using var client = Client();
        Control.Faults.NextMalformed("/rest/api/2/resolution", MalformedKind.HtmlPage);
        var ex = await Assert.ThrowsAsync<JiraRequestException>(() => client.GetAsync("rest/api/2/resolution"));
        Assert.Contains($"GET {fixture.Sim.BaseUrl}rest/api/2/resolution answered 200 with a body that is not JSON", ex.Message);
        Assert.Contains("<!DOCTYPE html>", ex.Message);
    }

    [Fact]
    public async Task Truncated_json_is_an_error_not_a_partial_result()
    {
        using var client = Client();
        Control.Faults.NextMalformed("/rest/api/2/field", MalformedKind.TruncatedJson);
        var ex = await Assert.ThrowsAsync<JiraRequestException>(() => client.GetAsync("rest/api/2/field"));
        Assert.Contains("rest/api/2/field answered 200", ex.Message);
        Assert.Contains("truncated", ex.Message);
    }

    [Fact]
    public async Task Truncated_json_in_a_page_read_item_by_item_is_an_error_not_a_partial_page()
    {
        using var client = Client();
        Control.Faults.NextMalformed("/rest/api/2/priority/search", MalformedKind.TruncatedJson);
        var ex = await Assert.ThrowsAsync<JiraRequestException>(() => client.GetPageAsync("rest/api/2/priority/search", "values"));
        Assert.Contains("rest/api/2/priority/search answered 200", ex.Message);
        Assert.Contains("truncated", ex.Message);
    }

    [Fact]
    public async Task A_page_read_item_by_item_holds_the_same_items_and_envelope_as_the_whole_answer()
    {
        using var client = Client();
        // The fixture has 6 issues: pages of 4 leave a nextPageToken in the envelope of the first.
        const string search = "rest/api/2/search/jql?jql=updated%3E%3D%222000%2F01%2F01%2000%3A00%22%20ORDER%20BY%20id%20ASC&maxResults=4&fields=*all&expand=changelog";
        var whole = await client.GetAsync(search);
        var page = await client.GetPageAsync(search, "issues");
        var expected = whole.GetProperty("issues").EnumerateArray().Select(i => i.GetRawText()).ToList();
        Assert.Equal(4, expected.Count);
        Assert.Equal(expected, page.Items.Select(i => i.GetRawText()).ToList());
        var envelope = whole.EnumerateObject().Where(p => p.Name != "issues").Select(p => (p.Name, p.Value.GetRawText())).ToList();
        Assert.Equal(envelope, page.Envelope.EnumerateObject().Select(p => (p.Name, p.Value.GetRawText())).ToList());
        Assert.Contains(envelope, p => p.Name == "nextPageToken");
    }

    [Fact]
    public async Task Concurrency_limit_holds()
    {
        using var client = Client(maxConcurrency: 3);
        Control.LatencyMs = 150;
        var requests = Enumerable.Range(0, 12).Select(_ => client.GetAsync("rest/api/2/priority")).ToArray();
        await Task.WhenAll(requests);
        Assert.Equal(3, client.PeakConcurrency);
        Assert.Equal(12, Control.Requests.Entries.Count);
    }

    [Fact]
    public async Task Post_sends_a_json_body()
    {
        using var client = Client();
        var page = await client.PostAsync("rest/api/2/search/jql", new JsonObject { ["jql"] = "project = ENG ORDER BY key", ["maxResults"] = 2, ["fields"] = new JsonArray("summary") });
        Assert.Equal(2, page.GetProperty("issues").GetArrayLength());
    }

    [Fact]
    public async Task Metric_lines_are_singer_timers_and_no_line_holds_a_secret()
    {
        var config = fixture.Config();
        var log = new MemoryLog(); // deliberately without a redactor: the client must not log secrets at all
        fixture.Reset();
        using var client = new JiraClient(config, log, Fast);
        Control.Faults.Next503(count: 1, pathPrefix: "/rest/api/2/myself");
        await client.GetAsync("rest/api/2/myself");
        await client.GetAsync("rest/api/2/issue/10000/changelog?startAt=0");

        var metrics = log.Lines.Where(l => l.StartsWith("INFO METRIC: ")).Select(l => JsonNode.Parse(l["INFO METRIC: ".Length..])!).ToArray();
        Assert.Equal(3, metrics.Length);
        Assert.All(metrics, m =>
        {
            Assert.Equal("timer", (string?)m["type"]);
            Assert.Equal("http_request_duration", (string?)m["metric"]);
            Assert.True((double)m["value"]! >= 0);
        });
        Assert.Equal(["rest/api/2/myself", "rest/api/2/myself", "rest/api/2/issue/{id}/changelog"], metrics.Select(m => (string?)m["tags"]!["endpoint"]));
        Assert.Equal([503, 200, 200], metrics.Select(m => (int)m["tags"]!["http_status_code"]!));
        Assert.Equal(["failed", "succeeded", "succeeded"], metrics.Select(m => (string?)m["tags"]!["status"]));
        foreach (var secret in config.Secrets())
            Assert.DoesNotContain(log.Lines, l => l.Contains(secret));
    }

    [Fact]
    public async Task Wrong_password_is_a_typed_401_without_the_secret()
    {
        fixture.Reset();
        var config = fixture.Config() with { Password = "wrong-token-Zx81" };
        using var client = new JiraClient(config, new MemoryLog(), Fast);
        var ex = await Assert.ThrowsAsync<JiraUnauthorizedException>(() => client.GetAsync("rest/api/2/myself"));
        Assert.Equal(ExitCodes.AuthFailed, ex.ExitCode);
        Assert.Contains("\"username\" and \"password\"", ex.Message);
        Assert.DoesNotContain("wrong-token-Zx81", ex.Message);
        Assert.Single(Control.Requests.Entries); // never retried: Jira locks accounts after repeated failures
    }

    [Fact]
    public async Task Untrusted_certificate_without_ca_cert_is_a_connection_error_saying_so()
    {
        fixture.Reset();
        using var client = new JiraClient(fixture.Config() with { CaCert = null }, new MemoryLog(), Fast);
        var ex = await Assert.ThrowsAsync<ConnectionException>(() => client.GetAsync("rest/api/2/myself"));
        Assert.Equal(ExitCodes.Unreachable, ex.ExitCode);
        Assert.Contains("certificate not trusted", ex.Message);
        Assert.Contains("set ca_cert", ex.Message);
        Assert.Empty(Control.Requests.Entries);
    }

    [Fact]
    public async Task Gzip_responses_are_decoded()
    {
        using var client = Client();
        var fields = await client.GetAsync("rest/api/2/field");
        Assert.True(fields.GetArrayLength() > 10);
        Assert.Equal("gzip", Control.Requests.Entries.Single().ContentEncoding);
    }

    [Fact]
    public async Task A_rate_limit_wait_beyond_the_maximum_fails_at_once_with_the_reason()
    {
        using var client = Client(options: Fast with { MaxRateLimitPause = TimeSpan.FromSeconds(1) });
        Control.Faults.Next429(count: 1, retryAfterSeconds: 30, pathPrefix: "/rest/api/2/myself");
        var clock = Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<JiraRequestException>(() => client.GetAsync("rest/api/2/myself"));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10));
        Assert.Equal(429, ex.StatusCode);
        Assert.Contains("asks to wait 30 s, more than the 1 s JiraSync waits", ex.Message);
    }

    [Fact]
    public async Task Credentials_are_never_sent_outside_base_url()
    {
        using var client = Client();
        var ex = await Assert.ThrowsAsync<JiraRequestException>(() => client.GetAsync("https://elsewhere.example/rest/api/2/myself"));
        Assert.Contains("refusing to send credentials", ex.Message);
        Assert.Empty(Control.Requests.Entries);
        Assert.Equal(0, client.Metrics.Requests);
    }

    [Fact]
    public async Task Dropped_connections_are_retried()
    {
        using var client = Client();
        Control.Faults.NextDropped(count: 2, pathPrefix: "/rest/api/2/issuetype");
        var types = await client.GetAsync("rest/api/2/issuetype");
        Assert.Equal(JsonValueKind.Array, types.ValueKind);
        Assert.Equal(2, client.Metrics.Retries);
        Assert.Equal(3, client.Metrics.Requests);
    }

    [Fact]
    public async Task Timeouts_are_retried_then_reported_as_unreachable_with_the_setting()
    {
        fixture.Reset();
        var config = fixture.Config() with { RequestTimeout = TimeSpan.FromMilliseconds(300) };
        using var client = new JiraClient(config, new MemoryLog(), Fast with { MaxAttempts = 2 });
        Control.LatencyMs = 3000;
        var ex = await Assert.ThrowsAsync<ConnectionException>(() => client.GetAsync("rest/api/2/status"));
        Control.LatencyMs = 0;
        Assert.Contains("within request_timeout 0.3 s", ex.Message);
        Assert.Contains("(2 attempts)", ex.Message);
        Assert.Equal(2, client.Metrics.Requests);
    }
}
