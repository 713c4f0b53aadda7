using System.Net;
using System.Text.Json;

namespace JiraSync.Tests.Simulator;

/// <summary>Each endpoint's envelope and page cap, over real HTTPS against the default Cloud simulator.</summary>
public sealed class EndpointEnvelopeTests(CloudSimulatorFixture f) : IClassFixture<CloudSimulatorFixture>
{
    private SimulatorHttp Http => f.Http;

    [Fact]
    public async Task ServerInfo_is_anonymous_and_says_Cloud()
    {
        using var anonymous = new SimulatorHttp(f.Sim);
        anonymous.Client.DefaultRequestHeaders.Authorization = null;
        var body = await anonymous.GetOk("rest/api/2/serverInfo");
        Assert.Equal("Cloud", body.GetProperty("deploymentType").GetString());
        Assert.Equal(f.Sim.BaseUrl.ToString().TrimEnd('/'), body.GetProperty("baseUrl").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d{4}$", body.GetProperty("serverTime").GetString());
    }

    [Fact]
    public async Task Myself_has_accountId_and_a_non_UTC_time_zone()
    {
        var (status, body, response) = await Http.Get("rest/api/2/myself");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("America/New_York", body.GetProperty("timeZone").GetString());
        var accountId = body.GetProperty("accountId").GetString();
        Assert.False(string.IsNullOrEmpty(accountId));
        Assert.Equal(accountId, response.Headers.GetValues("X-AAccountId").Single());
        Assert.Equal("", body.GetProperty("key").GetString());
    }

    [Fact]
    public async Task Project_search_is_a_PageBean_capped_at_100_and_hides_the_forbidden_project()
    {
        var first = await Http.GetOk("rest/api/2/project/search?maxResults=2");
        Assert.Equal(3, first.GetProperty("total").GetInt32());
        Assert.False(first.GetProperty("isLast").GetBoolean());
        Assert.Contains("startAt=2", first.GetProperty("nextPage").GetString());
        Assert.Equal(2, first.GetProperty("values").GetArrayLength());
        var all = await Http.GetOk("rest/api/2/project/search?maxResults=500");
        Assert.Equal(100, all.GetProperty("maxResults").GetInt32());
        Assert.True(all.GetProperty("isLast").GetBoolean());
        Assert.False(all.TryGetProperty("nextPage", out _));
        var keys = all.GetProperty("values").EnumerateArray().Select(p => p.GetProperty("key").GetString()).ToList();
        Assert.DoesNotContain("SECRET", keys);
        Assert.All(all.GetProperty("values").EnumerateArray(), p => Assert.Equal(JsonValueKind.String, p.GetProperty("id").ValueKind));
        var plain = await Http.GetOk("rest/api/2/project");
        Assert.Equal(JsonValueKind.Array, plain.ValueKind);
        Assert.Equal(3, plain.GetArrayLength());
    }

    [Fact]
    public async Task Hidden_project_and_its_issues_answer_404_with_Jira_messages()
    {
        var (status, body, _) = await Http.Get("rest/api/2/project/SECRET/version");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("No project could be found with key 'SECRET'.", body.GetProperty("errorMessages")[0].GetString());
        Assert.Equal(JsonValueKind.Object, body.GetProperty("errors").ValueKind);
        (status, body, _) = await Http.Get("rest/api/2/issue/SECRET-1/changelog");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("Issue does not exist or you do not have permission to see it.", body.GetProperty("errorMessages")[0].GetString());
    }

    [Fact]
    public async Task Versions_and_components_come_paginated_and_as_plain_arrays()
    {
        var page = await Http.GetOk("rest/api/2/project/ENG/version?maxResults=1");
        Assert.Equal(1, page.GetProperty("values").GetArrayLength());
        var total = page.GetProperty("total").GetInt32();
        Assert.True(total >= 2);
        Assert.False(page.GetProperty("isLast").GetBoolean());
        var plain = await Http.GetOk("rest/api/2/project/ENG/versions");
        Assert.Equal(total, plain.GetArrayLength());
        var withUserDate = plain.EnumerateArray().First(v => v.TryGetProperty("userReleaseDate", out _));
        Assert.Matches(@"^\d{1,2}/[A-Z][a-z]{2}/\d\d$", withUserDate.GetProperty("userReleaseDate").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\d$", withUserDate.GetProperty("releaseDate").GetString());

        var comps = await Http.GetOk("rest/api/2/project/ENG/component?maxResults=100");
        Assert.Equal(50, comps.GetProperty("maxResults").GetInt32());
        var item = comps.GetProperty("values")[0];
        Assert.Equal(JsonValueKind.Number, item.GetProperty("issueCount").ValueKind);
        Assert.Equal(JsonValueKind.Object, item.GetProperty("componentBean").ValueKind);
        Assert.Equal(comps.GetProperty("total").GetInt32(), (await Http.GetOk("rest/api/2/project/ENG/components")).GetArrayLength());
    }

    [Theory]
    [InlineData("rest/api/2/project/type", "key")]
    [InlineData("rest/api/2/projectCategory", "id")]
    [InlineData("rest/api/2/resolution", "id")]
    [InlineData("rest/api/2/role", "id")]
    [InlineData("rest/api/2/status", "statusCategory")]
    [InlineData("rest/api/2/statuscategory", "key")]
    [InlineData("rest/api/2/priority", "id")]
    [InlineData("rest/api/2/issuetype", "hierarchyLevel")]
    [InlineData("rest/api/2/field", "clauseNames")]
    public async Task Reference_lists_are_plain_arrays(string path, string property)
    {
        var body = await Http.GetOk(path);
        Assert.Equal(JsonValueKind.Array, body.ValueKind);
        Assert.True(body.GetArrayLength() > 1);
        Assert.All(body.EnumerateArray(), e => Assert.True(e.TryGetProperty(property, out _), $"{path} item lacks {property}"));
    }

    [Fact]
    public async Task Field_lists_custom_fields_of_several_types()
    {
        var fields = await Http.GetOk("rest/api/2/field");
        var custom = fields.EnumerateArray().Where(x => x.GetProperty("custom").GetBoolean()).ToList();
        Assert.True(custom.Count >= 6);
        var types = custom.Select(x => x.GetProperty("schema").GetProperty("type").GetString()).ToHashSet();
        Assert.Superset(new HashSet<string?> { "number", "string", "option", "array", "date", "datetime", "user" }, types);
        // Jira Software's Sprint field is the one custom field whose plugin key is not a system custom field type.
        var sprint = Assert.Single(custom, x => x.GetProperty("schema").GetProperty("custom").GetString() == "com.pyxis.greenhopper.jira:gh-sprint");
        Assert.Equal("json", sprint.GetProperty("schema").GetProperty("items").GetString());
        Assert.All(custom.Where(x => x.GetProperty("id").GetString() != sprint.GetProperty("id").GetString()),
            x => Assert.StartsWith("com.atlassian.jira.plugin.system.customfieldtypes:", x.GetProperty("schema").GetProperty("custom").GetString()));
    }

    [Fact]
    public async Task Users_search_is_a_plain_array_capped_at_1000_including_inactive_users()
    {
        var page = await Http.GetOk("rest/api/2/users/search?startAt=0&maxResults=10");
        Assert.Equal(JsonValueKind.Array, page.ValueKind);
        Assert.Equal(10, page.GetArrayLength());
        var all = await Http.GetOk("rest/api/2/users/search?maxResults=5000");
        Assert.Equal(25, all.GetArrayLength());
        Assert.Contains(all.EnumerateArray(), u => !u.GetProperty("active").GetBoolean());
        Assert.Contains(all.EnumerateArray(), u => !u.TryGetProperty("emailAddress", out _));
        Assert.All(all.EnumerateArray(), u => Assert.False(u.TryGetProperty("key", out _)));
        var beyond = await Http.GetOk("rest/api/2/users/search?startAt=25");
        Assert.Equal(0, beyond.GetArrayLength());
    }

    [Fact]
    public async Task Group_member_caps_at_50_and_lists_inactive_users_only_on_request()
    {
        var active = await Http.GetOk("rest/api/2/group/member?groupname=jira-software-users&maxResults=100");
        Assert.Equal(50, active.GetProperty("maxResults").GetInt32());
        var all = await Http.GetOk("rest/api/2/group/member?groupname=jira-software-users&includeInactiveUsers=true");
        Assert.Equal(25, all.GetProperty("total").GetInt32());
        Assert.True(active.GetProperty("total").GetInt32() < 25);
        var (status, _, _) = await Http.Get("rest/api/2/group/member?groupname=nope");
        Assert.Equal(HttpStatusCode.NotFound, status);
    }

    [Fact]
    public async Task Issue_changelog_is_a_PageBean_oldest_first_capped_at_100()
    {
        var heavy = await HeavyIssueKey();
        var page = await Http.GetOk($"rest/api/2/issue/{heavy}/changelog?maxResults=1000");
        Assert.Equal(100, page.GetProperty("maxResults").GetInt32());
        Assert.Equal(250, page.GetProperty("total").GetInt32());
        Assert.False(page.GetProperty("isLast").GetBoolean());
        var created = page.GetProperty("values").EnumerateArray().Select(h => JiraTimestamp.Parse(h.GetProperty("created").GetString()!)).ToList();
        Assert.Equal(created.OrderBy(c => c), created);
        var last = await Http.GetOk($"rest/api/2/issue/{heavy}/changelog?startAt=200&maxResults=100");
        Assert.Equal(50, last.GetProperty("values").GetArrayLength());
        Assert.True(last.GetProperty("isLast").GetBoolean());
    }

    [Fact]
    public async Task Comments_and_worklogs_use_the_PageOf_envelope()
    {
        var heavy = await HeavyIssueKey();
        var comments = await Http.GetOk($"rest/api/2/issue/{heavy}/comment?startAt=100&maxResults=50");
        Assert.Equal(120, comments.GetProperty("total").GetInt32());
        Assert.Equal(20, comments.GetProperty("comments").GetArrayLength());
        Assert.Equal(100, comments.GetProperty("startAt").GetInt32());
        var (status, _, _) = await Http.Get($"rest/api/2/issue/{heavy}/comment?orderBy=author");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var rendered = await Http.GetOk($"rest/api/2/issue/{heavy}/comment?maxResults=1&expand=renderedBody");
        Assert.StartsWith("<p>", rendered.GetProperty("comments")[0].GetProperty("renderedBody").GetString());
        Assert.False(comments.GetProperty("comments")[0].TryGetProperty("renderedBody", out _));
        var worklogs = await Http.GetOk($"rest/api/2/issue/{heavy}/worklog");
        Assert.Equal(30, worklogs.GetProperty("total").GetInt32());
        Assert.Equal(5000, worklogs.GetProperty("maxResults").GetInt32());
        var w = worklogs.GetProperty("worklogs")[0];
        Assert.Equal(JsonValueKind.String, w.GetProperty("issueId").ValueKind);
        Assert.Equal(JsonValueKind.Number, w.GetProperty("timeSpentSeconds").ValueKind);
    }

    [Fact]
    public async Task Transitions_are_an_unpaginated_list()
    {
        var body = await Http.GetOk("rest/api/2/issue/ENG-2/transitions");
        Assert.Equal(3, body.GetProperty("transitions").GetArrayLength());
        Assert.Equal(JsonValueKind.Object, body.GetProperty("transitions")[0].GetProperty("to").GetProperty("statusCategory").ValueKind);
    }

    [Fact]
    public async Task Agile_boards_and_sprints()
    {
        var boards = await Http.GetOk("rest/agile/1.0/board?maxResults=500");
        Assert.Equal(50, boards.GetProperty("maxResults").GetInt32());
        // ENG scrum + kanban, OPS scrum + team board, WEB scrum + team-managed; the private board only with includePrivate.
        Assert.Equal(6, boards.GetProperty("total").GetInt32());
        var scrum = boards.GetProperty("values").EnumerateArray().First(b => b.GetProperty("type").GetString() == "scrum").GetProperty("id").GetInt64();
        var kanban = boards.GetProperty("values").EnumerateArray().First(b => b.GetProperty("type").GetString() == "kanban").GetProperty("id").GetInt64();
        var sprints = await Http.GetOk($"rest/agile/1.0/board/{scrum}/sprint");
        Assert.False(sprints.TryGetProperty("total", out _));
        Assert.True(sprints.GetProperty("isLast").GetBoolean());
        Assert.Equal(new[] { "closed", "active", "future" }, sprints.GetProperty("values").EnumerateArray().Select(s => s.GetProperty("state").GetString()).ToArray());
        Assert.Matches(@"[+-]\d\d:\d\d$", sprints.GetProperty("values")[0].GetProperty("startDate").GetString());
        var (status, _, _) = await Http.Get($"rest/agile/1.0/board/{kanban}/sprint");
        Assert.Equal(HttpStatusCode.BadRequest, status);
    }

    [Fact]
    public async Task Worklog_list_takes_at_most_1000_ids()
    {
        var ids = f.Sim.Control.ExpectedKeys()["worklogs"].Take(5).Select(long.Parse).ToArray();
        var list = await Http.PostOk("rest/api/2/worklog/list", new { ids });
        Assert.Equal(JsonValueKind.Array, list.ValueKind);
        Assert.Equal(5, list.GetArrayLength());
        var (status, body) = await Http.Post("rest/api/2/worklog/list", new { ids = Enumerable.Range(1, 1001).ToArray() });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(JsonValueKind.Array, body.GetProperty("errorMessages").ValueKind);
    }

    [Fact]
    public async Task Changelog_bulkfetch_pages_with_a_cursor_over_all_histories()
    {
        var heavy = await HeavyIssueKey();
        var seen = new HashSet<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var body = await Http.PostOk("rest/api/2/changelog/bulkfetch", token is null
                ? new { issueIdsOrKeys = new[] { heavy, "ENG-3" }, maxResults = 100 }
                : (object)new { issueIdsOrKeys = new[] { heavy, "ENG-3" }, maxResults = 100, nextPageToken = token });
            foreach (var entry in body.GetProperty("issueChangeLogs").EnumerateArray())
                foreach (var h in entry.GetProperty("changeHistories").EnumerateArray())
                    Assert.True(seen.Add(h.GetProperty("id").GetString()!));
            token = body.TryGetProperty("nextPageToken", out var t) ? t.GetString() : null;
            pages++;
        } while (token is not null);
        var expected = f.Sim.Control.Read(s => s.FindIssue(heavy)!.Histories.Count + s.FindIssue("ENG-3")!.Histories.Count);
        Assert.Equal(expected, seen.Count);
        Assert.Equal((expected + 99) / 100, pages);
    }

    [Fact]
    public async Task Issue_bulkfetch_takes_100_ids_and_reports_unknown_ones()
    {
        var body = await Http.PostOk("rest/api/2/issue/bulkfetch", new { issueIdsOrKeys = new[] { "ENG-3", "ENG-1", "SECRET-1" }, fields = new[] { "summary" } });
        var ids = body.GetProperty("issues").EnumerateArray().Select(i => long.Parse(i.GetProperty("id").GetString()!)).ToList();
        Assert.Equal(ids.Order(), ids);
        Assert.Equal(2, ids.Count);
        Assert.Equal("SECRET-1", body.GetProperty("issueErrors")[0].GetProperty("id").GetString());
        var (status, _) = await Http.Post("rest/api/2/issue/bulkfetch", new { issueIdsOrKeys = Enumerable.Range(0, 101).Select(i => $"ENG-{i + 1}").ToArray() });
        Assert.Equal(HttpStatusCode.BadRequest, status);
    }

    [Theory]
    [InlineData("rest/api/2/serverInfo")]
    [InlineData("rest/api/2/myself")]
    [InlineData("rest/api/2/project/search")]
    [InlineData("rest/api/2/project")]
    [InlineData("rest/api/2/project/10000")]
    [InlineData("rest/api/2/project/10000/version")]
    [InlineData("rest/api/2/project/10000/component")]
    [InlineData("rest/api/2/project/type")]
    [InlineData("rest/api/2/projectCategory")]
    [InlineData("rest/api/2/resolution")]
    [InlineData("rest/api/2/role")]
    [InlineData("rest/api/2/status")]
    [InlineData("rest/api/2/statuscategory")]
    [InlineData("rest/api/2/priority")]
    [InlineData("rest/api/2/issuetype")]
    [InlineData("rest/api/2/field")]
    [InlineData("rest/api/2/group/member?groupname=jira-administrators")]
    [InlineData("rest/api/2/users/search")]
    [InlineData("rest/api/2/search/jql?jql=project%3DENG")]
    [InlineData("rest/api/2/issue/ENG-1")]
    [InlineData("rest/api/2/issue/ENG-1/changelog")]
    [InlineData("rest/api/2/issue/ENG-1/comment")]
    [InlineData("rest/api/2/issue/ENG-1/worklog")]
    [InlineData("rest/api/2/issue/ENG-1/transitions")]
    [InlineData("rest/api/2/worklog/updated?since=0")]
    [InlineData("rest/api/2/worklog/deleted?since=0")]
    [InlineData("rest/agile/1.0/board")]
    [InlineData("rest/agile/1.0/board/1/sprint")]
    [InlineData("rest/agile/1.0/sprint/1")]
    [InlineData("rest/api/2/statuses/search")]
    [InlineData("rest/api/2/priority/search")]
    [InlineData("rest/api/2/issueLinkType")]
    [InlineData("rest/api/2/label")]
    [InlineData("rest/api/2/filter/search?expand=jql")]
    [InlineData("rest/api/2/filter/my")]
    [InlineData("rest/api/2/filter/favourite")]
    [InlineData("rest/api/2/group/bulk")]
    [InlineData("rest/api/2/groups/picker")]
    [InlineData("rest/api/2/field/customfield_10012/context")]
    [InlineData("rest/api/2/field/customfield_10012/context/20112/option")]
    [InlineData("rest/api/2/issue/ENG-1/watchers")]
    [InlineData("rest/api/2/issue/ENG-1/remotelink")]
    [InlineData("rest/api/2/attachment/10000")]
    [InlineData("rest/api/2/issueLink/10000")]
    public async Task Every_GET_endpoint_of_the_issue_answers_with_JSON(string path)
    {
        var (status, body, response) = await Http.Get(path);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.True(body.ValueKind is JsonValueKind.Object or JsonValueKind.Array);
    }

    [Fact]
    public async Task Unknown_paths_answer_404()
    {
        var (status, _, _) = await Http.Get("rest/api/2/nothing/here");
        Assert.Equal(HttpStatusCode.NotFound, status);
    }

    private Task<string> HeavyIssueKey() =>
        Task.FromResult(f.Sim.Control.Read(s => s.Issues.First(i => s.IsVisible(i) && i.Histories.Count == 250).Key));
}
