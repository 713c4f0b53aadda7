using System.Net;
using System.Text.Json;
using JiraSync.Simulator;

namespace JiraSync.Tests.Simulator;

/// <summary>Server/Data Center mode: deploymentType Server, legacy search with startAt/total and 100
/// embedded histories, users keyed by key/name, no Cloud-only endpoints.</summary>
public sealed class ServerModeTests : IAsyncLifetime
{
    private JiraSimulator _sim = null!;
    private SimulatorHttp _http = null!;

    public async Task InitializeAsync()
    {
        _sim = await JiraSimulator.StartAsync(new SimulatorOptions { Deployment = Deployment.Server });
        _http = new SimulatorHttp(_sim);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _sim.DisposeAsync();
    }

    [Fact]
    public async Task Identity_is_key_and_name()
    {
        Assert.Equal("Server", (await _http.GetOk("rest/api/2/serverInfo")).GetProperty("deploymentType").GetString());
        var me = await _http.GetOk("rest/api/2/myself");
        Assert.False(me.TryGetProperty("accountId", out _));
        Assert.Equal("sim.admin", me.GetProperty("name").GetString());
        var users = await _http.GetOk("rest/api/2/user/search?username=.&maxResults=1000&includeInactive=true");
        var keys = users.EnumerateArray().Select(u => u.GetProperty("key").GetString()!).ToHashSet();
        Assert.Equal(_sim.Control.ExpectedKeys()["users"], keys);
    }

    [Fact]
    public async Task Legacy_search_pages_with_startAt_and_total_and_embeds_100_histories()
    {
        var ids = new List<string>();
        for (var start = 0; ; start += 50)
        {
            var page = await _http.GetOk($"rest/api/2/search?jql={Uri.EscapeDataString("ORDER BY id ASC")}&startAt={start}&maxResults=50");
            Assert.Equal(120, page.GetProperty("total").GetInt32());
            Assert.Equal(start, page.GetProperty("startAt").GetInt32());
            var issues = page.GetProperty("issues");
            ids.AddRange(issues.EnumerateArray().Select(i => i.GetProperty("id").GetString()!));
            if (issues.GetArrayLength() < 50) break;
        }
        Assert.Equal(_sim.Control.ExpectedKeys()["issues"].Order(), ids.Order());
        Assert.Equal(ids.Select(long.Parse).Order().Select(x => x.ToString()), ids);

        var heavy = _sim.Control.Read(s => s.Issues.First(i => s.IsVisible(i) && i.Histories.Count == 250).Id);
        var body = await _http.PostOk("rest/api/2/search", new { jql = $"id = {heavy}", expand = new[] { "changelog" }, maxResults = 5000 });
        Assert.Equal(1000, body.GetProperty("maxResults").GetInt32());
        var changelog = body.GetProperty("issues")[0].GetProperty("changelog");
        Assert.Equal(250, changelog.GetProperty("total").GetInt32());
        Assert.Equal(100, changelog.GetProperty("histories").GetArrayLength());
        // Default fields are *navigable: the issue has fields but no embedded comments.
        Assert.True(body.GetProperty("issues")[0].GetProperty("fields").TryGetProperty("summary", out _));
    }

    [Fact]
    public async Task A_deleted_issue_key_fails_strict_validation_but_is_dropped_with_validateQuery_warn()
    {
        _sim.Control.DeleteIssue("ENG-2");
        var jql = Uri.EscapeDataString("key in (ENG-1, ENG-2)");
        var (status, body, _) = await _http.Get($"rest/api/2/search?jql={jql}");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("An issue with key 'ENG-2' does not exist for field 'key'.", body.GetProperty("errorMessages")[0].GetString());
        var lenient = await _http.GetOk($"rest/api/2/search?jql={jql}&validateQuery=warn&fields=key");
        Assert.Equal("ENG-1", lenient.GetProperty("issues").EnumerateArray().Single().GetProperty("key").GetString());
    }

    [Theory]
    [InlineData("rest/api/2/search/jql?jql=project%3DENG")]
    [InlineData("rest/api/2/project/search")]
    [InlineData("rest/api/2/users/search")]
    public async Task Cloud_only_endpoints_are_absent(string path)
    {
        Assert.Equal(HttpStatusCode.NotFound, (await _http.Get(path)).Status);
    }

    [Fact]
    public async Task Project_list_is_a_plain_array()
    {
        var projects = await _http.GetOk("rest/api/2/project");
        Assert.Equal(JsonValueKind.Array, projects.ValueKind);
        Assert.Equal(3, projects.GetArrayLength());
    }

    [Fact]
    public async Task Metadata_and_agile_differ_as_on_Data_Center()
    {
        // Cloud-only endpoints are unknown paths here.
        foreach (var path in new[] { "rest/api/2/statuses/search", "rest/api/2/priority/search", "rest/api/2/label", "rest/api/2/filter/search",
                     "rest/api/2/group/bulk", "rest/api/2/field/customfield_10012/context" })
            Assert.Equal(HttpStatusCode.NotFound, (await _http.Get(path)).Status);
        var picker = await _http.GetOk("rest/api/2/groups/picker");
        Assert.All(picker.GetProperty("groups").EnumerateArray(), g => Assert.False(g.TryGetProperty("groupId", out _)));
        var members = await _http.GetOk("rest/api/2/group/member?groupname=site-admins");
        Assert.All(members.GetProperty("values").EnumerateArray(), u => Assert.False(string.IsNullOrEmpty(u.GetProperty("key").GetString())));
        Assert.Equal(HttpStatusCode.NotFound, (await _http.Get("rest/api/2/group/member?groupId=276f955c-63d7-42c8-9520-92d01dca0625")).Status);

        var boards = (await _http.GetOk("rest/agile/1.0/board")).GetProperty("values").EnumerateArray().ToList();
        Assert.All(boards, b => Assert.False(b.TryGetProperty("location", out _)));

        // The Sprint field holds the legacy strings; attachments link to /secure/attachment.
        var sprintField = (await _http.GetOk("rest/api/2/field")).EnumerateArray()
            .Single(f => f.TryGetProperty("schema", out var s) && s.TryGetProperty("custom", out var c) && c.GetString() == "com.pyxis.greenhopper.jira:gh-sprint").GetProperty("id").GetString()!;
        var issues = (await _http.GetOk($"rest/api/2/search?jql=project%20%3D%20ENG&fields={sprintField},attachment&maxResults=100")).GetProperty("issues").EnumerateArray().ToList();
        var values = issues.Select(i => i.GetProperty("fields").GetProperty(sprintField)).Where(v => v.ValueKind == JsonValueKind.Array).SelectMany(v => v.EnumerateArray()).ToList();
        Assert.NotEmpty(values);
        Assert.All(values, v => Assert.Matches(@"^com\.atlassian\.greenhopper\.service\.sprint\.Sprint@[0-9a-f]+\[id=\d+,rapidViewId=\d+,state=(CLOSED|ACTIVE|FUTURE),name=", v.GetString()));
        var attachment = issues.SelectMany(i => i.GetProperty("fields").GetProperty("attachment").EnumerateArray()).First();
        Assert.Contains("/secure/attachment/", attachment.GetProperty("content").GetString());
        var watchers = await _http.GetOk("rest/api/2/issue/ENG-2/watchers");
        Assert.All(watchers.GetProperty("watchers").EnumerateArray(), u => Assert.True(u.TryGetProperty("key", out _)));
    }
}
