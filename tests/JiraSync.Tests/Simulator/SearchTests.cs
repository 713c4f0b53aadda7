using System.Net;
using System.Text.Json;

namespace JiraSync.Tests.Simulator;

/// <summary>Enhanced search (search/jql) paging, embedded caps and JQL errors; legacy search on Cloud.</summary>
public sealed class SearchTests(CloudSimulatorFixture f) : IClassFixture<CloudSimulatorFixture>
{
    private SimulatorHttp Http => f.Http;

    [Fact]
    public async Task Enhanced_search_pages_with_tokens_has_no_total_and_drops_the_token_on_the_last_page()
    {
        var jql = Uri.EscapeDataString("project in (ENG, OPS, WEB) ORDER BY updated ASC, id ASC");
        var ids = new List<string>();
        string? token = null;
        var pages = 0;
        while (true)
        {
            var body = await Http.GetOk($"rest/api/2/search/jql?jql={jql}&maxResults=25&fields=updated" + (token is null ? "" : $"&nextPageToken={Uri.EscapeDataString(token)}"));
            Assert.False(body.TryGetProperty("total", out _));
            Assert.False(body.TryGetProperty("startAt", out _));
            pages++;
            ids.AddRange(body.GetProperty("issues").EnumerateArray().Select(i => i.GetProperty("id").GetString()!));
            var isLast = body.GetProperty("isLast").GetBoolean();
            var hasToken = body.TryGetProperty("nextPageToken", out var t);
            Assert.Equal(!isLast, hasToken);
            if (isLast) break;
            token = t.GetString();
        }
        Assert.Equal(120, ids.Count);
        Assert.Equal(5, pages);
        Assert.Equal(f.Sim.Control.ExpectedKeys()["issues"].Order(), ids.Order());
    }

    [Fact]
    public async Task Enhanced_search_returns_bare_ids_by_default_and_caps_page_sizes()
    {
        var jql = Uri.EscapeDataString("project = ENG");
        var idsOnly = await Http.GetOk($"rest/api/2/search/jql?jql={jql}&maxResults=10000");
        var first = idsOnly.GetProperty("issues")[0];
        Assert.Equal(new[] { "id" }, SimulatorHttp.Keys(first));
        Assert.Equal(40, idsOnly.GetProperty("issues").GetArrayLength());

        var big = await JiraSync.Simulator.JiraSimulator.StartAsync(new JiraSync.Simulator.SimulatorOptions { Projects = 1, IssuesPerProject = 260, HeavyIssues = 0 });
        await using (big)
        {
            using var http = new SimulatorHttp(big);
            var page = await http.GetOk($"rest/api/2/search/jql?jql={jql}&maxResults=1000&fields=*all");
            Assert.Equal(100, page.GetProperty("issues").GetArrayLength());
            Assert.False(page.GetProperty("isLast").GetBoolean());
            var post = await http.PostOk("rest/api/2/search/jql", new { jql = "project = ENG", maxResults = 1000, fields = new[] { "id" } });
            Assert.Equal(260, post.GetProperty("issues").GetArrayLength());
        }
    }

    [Fact]
    public async Task Expand_changelog_embeds_only_the_newest_40_histories_and_total_shows_the_rest()
    {
        var heavy = f.Sim.Control.Read(s => s.Issues.First(i => s.IsVisible(i) && i.Histories.Count == 250));
        var body = await Http.PostOk("rest/api/2/search/jql", new { jql = $"id = {heavy.Id}", fields = new[] { "*all" }, expand = "changelog" });
        var issue = body.GetProperty("issues")[0];
        var changelog = issue.GetProperty("changelog");
        Assert.Equal(250, changelog.GetProperty("total").GetInt32());
        var histories = changelog.GetProperty("histories").EnumerateArray().ToList();
        Assert.Equal(40, histories.Count);
        var newestIds = f.Sim.Control.Read(_ => heavy.Histories.TakeLast(40).Select(h => h.Id.ToString()).Reverse().ToList());
        Assert.Equal(newestIds, histories.Select(h => h.GetProperty("id").GetString()!).ToList());

        var fields = issue.GetProperty("fields");
        Assert.Equal(120, fields.GetProperty("comment").GetProperty("total").GetInt32());
        Assert.Equal(20, fields.GetProperty("comment").GetProperty("comments").GetArrayLength());
        Assert.Equal(30, fields.GetProperty("worklog").GetProperty("total").GetInt32());
        Assert.Equal(20, fields.GetProperty("worklog").GetProperty("worklogs").GetArrayLength());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}-0[45]00$", fields.GetProperty("updated").GetString());
        Assert.Equal(JsonValueKind.Object, fields.GetProperty("status").GetProperty("statusCategory").ValueKind);
    }

    [Fact]
    public async Task Field_selection_and_exclusions()
    {
        var body = await Http.GetOk("rest/api/2/search/jql?jql=key%20%3D%20ENG-2&fields=summary,updated,customfield_10010");
        var fields = body.GetProperty("issues")[0].GetProperty("fields");
        Assert.Equal(new[] { "customfield_10010", "summary", "updated" }, SimulatorHttp.Keys(fields).Order().ToArray());
        body = await Http.GetOk("rest/api/2/search/jql?jql=key%20%3D%20ENG-2&fields=*navigable,-description");
        fields = body.GetProperty("issues")[0].GetProperty("fields");
        Assert.False(fields.TryGetProperty("description", out _));
        Assert.False(fields.TryGetProperty("comment", out _));
        Assert.True(fields.TryGetProperty("summary", out _));
    }

    [Theory]
    [InlineData("ORDER BY updated ASC", "Unbounded")]
    [InlineData("", "Unbounded")]
    [InlineData("projekt = ENG", "Field 'projekt' does not exist")]
    [InlineData("project = NOPE", "The value 'NOPE' does not exist for the field 'project'.")]
    [InlineData("project = SECRET", "The value 'SECRET' does not exist for the field 'project'.")]
    [InlineData("updated >= \"2024-01-01 10:00:30\"", "Date value")]
    [InlineData("project = ENG ORDER BY summary", "Not able to sort")]
    [InlineData("project = ENG AND", "Expecting")]
    [InlineData("key in (ENG-1, ENG-999)", "An issue with key 'ENG-999' does not exist for field 'key'.")]
    [InlineData("issuekey = SECRET-1", "An issue with key 'SECRET-1' does not exist for field 'issuekey'.")]
    [InlineData("id = 1", "An issue with key '1' does not exist for field 'id'.")]
    [InlineData("key = 0.0", "The issue key '0.0' for field 'key' is invalid.")]
    public async Task Bad_JQL_is_a_400_with_Jira_error_body(string jql, string message)
    {
        var (status, body, _) = await Http.Get($"rest/api/2/search/jql?jql={Uri.EscapeDataString(jql)}");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(message, body.GetProperty("errorMessages")[0].GetString());
        Assert.Equal(JsonValueKind.Object, body.GetProperty("errors").ValueKind);
    }

    [Fact]
    public async Task A_token_from_another_query_is_rejected()
    {
        var page = await Http.GetOk("rest/api/2/search/jql?jql=project%3DENG&maxResults=5");
        var token = page.GetProperty("nextPageToken").GetString()!;
        var (status, _, _) = await Http.Get($"rest/api/2/search/jql?jql=project%3DOPS&nextPageToken={Uri.EscapeDataString(token)}");
        Assert.Equal(HttpStatusCode.BadRequest, status);
    }

    [Fact]
    public async Task Expand_names_is_one_map_at_the_top_of_a_search_response()
    {
        var body = await Http.PostOk("rest/api/2/search/jql", new { jql = "project = ENG", fields = new[] { "summary", "customfield_10010" }, expand = "names", maxResults = 2 });
        Assert.Equal("Story Points", body.GetProperty("names").GetProperty("customfield_10010").GetString());
        Assert.False(body.GetProperty("issues")[0].TryGetProperty("names", out _));
        var issue = await Http.GetOk("rest/api/2/issue/ENG-1?fields=summary&expand=names");
        Assert.Equal("Summary", issue.GetProperty("names").GetProperty("summary").GetString());
    }

    [Fact]
    public async Task Approximate_count_counts_matches()
    {
        var body = await Http.PostOk("rest/api/2/search/approximate-count", new { jql = "project = ENG" });
        Assert.Equal(40, body.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Legacy_search_is_gone_on_Cloud_with_410()
    {
        var (status, body, _) = await Http.Get("rest/api/2/search?jql=project%3DENG");
        Assert.Equal(HttpStatusCode.Gone, status);
        Assert.Contains("CHANGE-2046", body.GetProperty("errorMessages")[0].GetString());
        var (postStatus, _) = await Http.Post("rest/api/2/search", new { jql = "project = ENG" });
        Assert.Equal(HttpStatusCode.Gone, postStatus);
    }

    [Fact]
    public async Task Ordering_by_key_and_id()
    {
        var body = await Http.PostOk("rest/api/2/search/jql", new { jql = "project = ENG ORDER BY key DESC", fields = new[] { "key" }, maxResults = 100 });
        var keys = body.GetProperty("issues").EnumerateArray().Select(i => i.GetProperty("key").GetString()!).ToList();
        Assert.Equal("ENG-40", keys[0]);
        Assert.Equal("ENG-1", keys[^1]);
        Assert.Equal(Enumerable.Range(1, 40).Reverse().Select(n => $"ENG-{n}"), keys);
    }
}
