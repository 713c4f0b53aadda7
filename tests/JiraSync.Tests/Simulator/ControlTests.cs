using System.Net;
using System.Text.Json;
using JiraSync.Simulator;
using JiraSync.Simulator.Control;

namespace JiraSync.Tests.Simulator;

/// <summary>Data changes, the clock, faults and the request log, in process and over /__sim/.</summary>
public sealed class ControlTests : IAsyncLifetime
{
    private JiraSimulator _sim = null!;
    private SimulatorHttp _http = null!;
    private SimulatorControl Control => _sim.Control;

    public async Task InitializeAsync()
    {
        _sim = await JiraSimulator.StartAsync(new SimulatorOptions { Projects = 2, IssuesPerProject = 15, HeavyIssues = 1 });
        _http = new SimulatorHttp(_sim);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _sim.DisposeAsync();
    }

    private async Task<JsonElement> Issue(string id, string fields = "*all", string expand = "") =>
        (await _http.PostOk("rest/api/2/search/jql", new { jql = $"id = {id}", fields = fields.Split(','), expand })).GetProperty("issues")[0];

    [Fact]
    public async Task UpdateIssue_bumps_updated_to_the_clock_and_adds_a_history()
    {
        Control.AdvanceClock(TimeSpan.FromMinutes(5));
        var before = await _http.GetOk("rest/api/2/issue/ENG-5/changelog");
        var id = (await _http.GetOk("rest/api/2/issue/ENG-5?fields=id")).GetProperty("id").GetString()!;
        Control.UpdateIssue("ENG-5");
        var issue = await Issue(id, "updated,status", "changelog");
        Assert.Equal(Control.Now, JiraTimestamp.Parse(issue.GetProperty("fields").GetProperty("updated").GetString()!));
        var after = await _http.GetOk("rest/api/2/issue/ENG-5/changelog");
        Assert.Equal(before.GetProperty("total").GetInt32() + 1, after.GetProperty("total").GetInt32());
        var newest = issue.GetProperty("changelog").GetProperty("histories")[0];
        Assert.Equal("status", newest.GetProperty("items")[0].GetProperty("field").GetString());
        Assert.Equal(issue.GetProperty("fields").GetProperty("status").GetProperty("id").GetString(), newest.GetProperty("items")[0].GetProperty("to").GetString());
        Assert.Contains(newest.GetProperty("id").GetString()!, Control.ExpectedKeys()["changelogs"]);

        // The incremental query a sync would run now finds exactly this issue.
        var since = TimeZoneInfo.ConvertTime(Control.Now.AddMinutes(-1), TimeZoneInfo.FindSystemTimeZoneById("America/New_York")).ToString("yyyy-MM-dd HH:mm");
        var found = await _http.PostOk("rest/api/2/search/jql", new { jql = $"updated >= \"{since}\" ORDER BY updated ASC" });
        Assert.Equal(new[] { id }, found.GetProperty("issues").EnumerateArray().Select(i => i.GetProperty("id").GetString()).ToArray());
    }

    [Fact]
    public async Task Add_and_delete_issues_change_expected_keys()
    {
        var before = Control.ExpectedKeys();
        var added = Control.AddIssue("OPS");
        Assert.Contains(added, Control.ExpectedKeys()["issues"]);
        Assert.Equal(before["issues"].Count + 1, Control.ExpectedKeys()["issues"].Count);
        Assert.Equal(HttpStatusCode.OK, (await _http.Get($"rest/api/2/issue/{added}")).Status);

        var victim = before["issues"].First();
        var victimWorklogs = Control.Read(s => s.IssuesById[long.Parse(victim)].Worklogs.Select(w => w.Id.ToString()).ToList());
        Control.DeleteIssue(victim);
        Assert.DoesNotContain(victim, Control.ExpectedKeys()["issues"]);
        Assert.Contains(victim, Control.ExpectedDeletedKeys()["issues"]);
        Assert.All(victimWorklogs, w => Assert.Contains(w, Control.ExpectedDeletedKeys()["worklogs"]));
        Assert.Equal(HttpStatusCode.NotFound, (await _http.Get($"rest/api/2/issue/{victim}/comment")).Status);
        var all = await _http.PostOk("rest/api/2/search/jql", new { jql = "project in (ENG, OPS)", maxResults = 5000 });
        var served = all.GetProperty("issues").EnumerateArray().Select(i => i.GetProperty("id").GetString()!).ToHashSet();
        Assert.Equal(Control.ExpectedKeys()["issues"], served);
    }

    [Fact]
    public async Task Worklogs_appear_in_worklog_updated_only_a_minute_later_and_deletions_in_worklog_deleted()
    {
        var issue = Control.ExpectedKeys()["issues"].First();
        var worklog = Control.AddWorklog(issue);
        var since = Control.Now.ToUnixTimeMilliseconds() - 1000;

        var feed = await _http.GetOk($"rest/api/2/worklog/updated?since={since}");
        Assert.DoesNotContain(feed.GetProperty("values").EnumerateArray(), v => v.GetProperty("worklogId").GetInt64().ToString() == worklog);
        Control.AdvanceClock(TimeSpan.FromSeconds(61));
        feed = await _http.GetOk($"rest/api/2/worklog/updated?since={since}");
        var entry = feed.GetProperty("values").EnumerateArray().Single(v => v.GetProperty("worklogId").GetInt64().ToString() == worklog);
        Assert.Equal(Control.Now.AddSeconds(-61).ToUnixTimeMilliseconds(), entry.GetProperty("updatedTime").GetInt64());
        Assert.True(feed.GetProperty("lastPage").GetBoolean());

        Control.UpdateWorklog(worklog);
        Control.DeleteWorklog(worklog);
        Assert.DoesNotContain(worklog, Control.ExpectedKeys()["worklogs"]);
        var deleted = await _http.GetOk($"rest/api/2/worklog/deleted?since={since}");
        Assert.DoesNotContain(deleted.GetProperty("values").EnumerateArray(), v => v.GetProperty("worklogId").GetInt64().ToString() == worklog);
        Control.AdvanceClock(TimeSpan.FromSeconds(61));
        deleted = await _http.GetOk($"rest/api/2/worklog/deleted?since={since}");
        Assert.Contains(deleted.GetProperty("values").EnumerateArray(), v => v.GetProperty("worklogId").GetInt64().ToString() == worklog);
        var list = await _http.PostOk("rest/api/2/worklog/list", new { ids = new[] { long.Parse(worklog) } });
        Assert.Equal(0, list.GetArrayLength());
    }

    [Fact]
    public async Task Comments_can_be_added_updated_and_deleted()
    {
        var issue = Control.ExpectedKeys()["issues"].First();
        var comment = Control.AddComment(issue);
        Assert.Contains(comment, Control.ExpectedKeys()["issue_comments"]);
        Control.AdvanceClock(TimeSpan.FromMinutes(2));
        Control.UpdateComment(comment);
        var page = await _http.GetOk($"rest/api/2/issue/{issue}/comment");
        var c = page.GetProperty("comments").EnumerateArray().Single(x => x.GetProperty("id").GetString() == comment);
        Assert.NotEqual(c.GetProperty("created").GetString(), c.GetProperty("updated").GetString());
        Control.DeleteComment(comment);
        Assert.DoesNotContain(comment, Control.ExpectedKeys()["issue_comments"]);
        Assert.Contains(comment, Control.ExpectedDeletedKeys()["issue_comments"]);
    }

    [Fact]
    public async Task A_new_custom_field_shows_in_field_and_on_issues()
    {
        var id = Control.AddCustomField("Customer Tier ✨", "select");
        var fields = await _http.GetOk("rest/api/2/field");
        var field = fields.EnumerateArray().Single(x => x.GetProperty("id").GetString() == id);
        Assert.Equal("option", field.GetProperty("schema").GetProperty("type").GetString());
        var issue = await Issue(Control.ExpectedKeys()["issues"].First());
        Assert.True(issue.GetProperty("fields").TryGetProperty(id, out _));
        Assert.Throws<ArgumentException>(() => Control.AddCustomField("x", "hologram"));
    }

    [Fact]
    public async Task Injected_429_carries_Retry_After_and_rate_limit_headers()
    {
        Control.Faults.Next429(count: 2, retryAfterSeconds: 7);
        var (status, body, response) = await _http.Get("rest/api/2/myself");
        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Equal("7", response.Headers.GetValues("Retry-After").Single());
        Assert.Equal("0", response.Headers.GetValues("X-RateLimit-Remaining").Single());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\dZ$", response.Headers.GetValues("X-RateLimit-Reset").Single());
        Assert.True(response.Headers.Contains("X-RateLimit-Limit"));
        Assert.Equal(JsonValueKind.Array, body.GetProperty("errorMessages").ValueKind);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await _http.Get("rest/api/2/myself")).Status);
        Assert.Equal(HttpStatusCode.OK, (await _http.Get("rest/api/2/myself")).Status);
    }

    [Fact]
    public async Task Injected_5xx_and_malformed_bodies()
    {
        Control.Faults.Next503(2);
        Control.Faults.Next500();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await _http.Get("rest/api/2/field")).Status);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await _http.Get("rest/api/2/field")).Status);
        Assert.Equal(HttpStatusCode.InternalServerError, (await _http.Get("rest/api/2/field")).Status);
        Assert.Equal(HttpStatusCode.OK, (await _http.Get("rest/api/2/field")).Status);

        Control.Faults.NextDropped();
        await Assert.ThrowsAsync<HttpRequestException>(() => _http.Client.GetAsync("rest/api/2/field"));
        Assert.Equal(HttpStatusCode.OK, (await _http.Get("rest/api/2/field")).Status);

        Control.Faults.NextMalformed("/rest/api/2/project/search");
        Assert.Equal(HttpStatusCode.OK, (await _http.Get("rest/api/2/field")).Status);   // other paths unaffected
        var cut = await _http.Client.GetAsync("rest/api/2/project/search");
        Assert.Equal(HttpStatusCode.OK, cut.StatusCode);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(cut.Content.ReadAsStringAsync().Result));

        Control.Faults.NextMalformed("/rest/api/2/myself", MalformedKind.HtmlPage);
        var html = await _http.Client.GetAsync("rest/api/2/myself");
        Assert.Equal("text/html", html.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("<!DOCTYPE html>", await html.Content.ReadAsStringAsync());
        Assert.Equal(0, Control.Faults.Pending);
    }

    [Fact]
    public async Task The_request_log_records_what_the_client_asked()
    {
        Control.Requests.Clear();
        await _http.Get("rest/api/2/project/search?maxResults=7");
        Control.Faults.Next503();
        await _http.Get("rest/api/2/field");
        var log = Control.Requests.Entries;
        Assert.Equal(2, Control.RequestCount);
        Assert.Equal(("GET", "/rest/api/2/project/search?maxResults=7", 200), (log[0].Method, log[0].PathAndQuery, log[0].Status));
        Assert.Equal(503, log[1].Status);
    }

    [Fact]
    public async Task The_control_surface_works_over_HTTP()
    {
        var (status, added) = await _http.Post("__sim/projects/ENG/issues", new { });
        Assert.Equal(HttpStatusCode.OK, status);
        var id = added.GetProperty("id").GetString()!;
        Assert.Contains(id, Control.ExpectedKeys()["issues"]);
        var clock = await _http.PostOk("__sim/clock/advance?seconds=3600", new { });
        Assert.Equal(Control.Now, DateTimeOffset.Parse(clock.GetProperty("now").GetString()!));
        await _http.PostOk("__sim/faults/429?count=1&retryAfter=3", new { });
        Assert.Equal(HttpStatusCode.TooManyRequests, (await _http.Get("rest/api/2/myself")).Status);
        var keys = await _http.GetOk("__sim/expected-keys");
        Assert.Equal(Control.ExpectedKeys()["issues"].Count, keys.GetProperty("issues").GetArrayLength());
        var (missing, body) = await _http.Post("__sim/issues/NOPE-1/update", new { });
        Assert.Equal(HttpStatusCode.NotFound, missing);
        var (badNumber, error) = await _http.Post("__sim/clock/advance?seconds=soon", new { });
        Assert.Equal(HttpStatusCode.BadRequest, badNumber);
        Assert.Equal("query parameter 'seconds' must be a number", error.GetProperty("errorMessages")[0].GetString());
        var requests = await _http.GetOk("__sim/requests");
        Assert.DoesNotContain(requests.GetProperty("requests").EnumerateArray(), r => r.GetProperty("pathAndQuery").GetString()!.StartsWith("/__sim"));
    }

    [Fact]
    public async Task Control_is_safe_while_requests_are_in_flight()
    {
        var keys = Control.ExpectedKeys()["issues"].ToList();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        var readers = Enumerable.Range(0, 4).Select(async _ =>
        {
            var n = 0;
            while (n < 25)
            {
                var body = await _http.PostOk("rest/api/2/search/jql", new { jql = "project in (ENG, OPS) ORDER BY updated ASC", fields = new[] { "*all" }, expand = "changelog", maxResults = 100 });
                Assert.True(body.GetProperty("issues").GetArrayLength() >= 20);
                n++;
            }
        }).ToList();
        for (var i = 0; i < 200; i++)
        {
            Control.UpdateIssue(keys[i % keys.Count]);
            Control.AddWorklog(keys[(i * 7) % keys.Count]);
            if (i % 20 == 0) Control.AddIssue("ENG");
        }
        await Task.WhenAll(readers);
        Assert.Equal(30 + 10, Control.ExpectedKeys()["issues"].Count);
    }
}
