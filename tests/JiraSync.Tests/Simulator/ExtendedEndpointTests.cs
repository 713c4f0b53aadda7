using System.Net;
using System.Text.Json;
using JiraSync.Simulator;

namespace JiraSync.Tests.Simulator;

/// <summary>Envelopes, paging and errors of the site metadata, agile and issue-relation endpoints on the default Cloud simulator.</summary>
public sealed class ExtendedEndpointTests(CloudSimulatorFixture f) : IClassFixture<CloudSimulatorFixture>
{
    private SimulatorHttp Http => f.Http;

    private static string[] Strings(JsonElement array, string property) =>
        array.EnumerateArray().Select(x => x.GetProperty(property).ValueKind == JsonValueKind.String ? x.GetProperty(property).GetString()! : x.GetProperty(property).GetRawText()).ToArray();

    private static string Error(JsonElement body) => body.GetProperty("errorMessages")[0].GetString()!;

    [Fact]
    public async Task Statuses_search_is_a_PageBean_with_category_strings_and_a_filter()
    {
        var first = await Http.GetOk("rest/api/2/statuses/search?maxResults=2");
        Assert.Equal(4, first.GetProperty("total").GetInt32());
        Assert.False(first.GetProperty("isLast").GetBoolean());
        Assert.Contains("startAt=2", first.GetProperty("nextPage").GetString());
        Assert.All(first.GetProperty("values").EnumerateArray(), s => Assert.Contains(s.GetProperty("statusCategory").GetString(), new[] { "TODO", "IN_PROGRESS", "DONE" }));
        var done = await Http.GetOk("rest/api/2/statuses/search?statusCategory=DONE");
        Assert.Equal(new[] { "Done" }, Strings(done.GetProperty("values"), "name"));
        // The plain list holds the same ids, with the category as an object.
        var plain = await Http.GetOk("rest/api/2/status");
        Assert.Equal(Strings(plain, "id").Order(), Strings((await Http.GetOk("rest/api/2/statuses/search")).GetProperty("values"), "id").Order());
        Assert.Equal(3, plain.EnumerateArray().Select(s => s.GetProperty("statusCategory").GetProperty("key").GetString()).Distinct().Count());
    }

    [Fact]
    public async Task Priority_search_caps_at_50_and_marks_one_default()
    {
        var page = await Http.GetOk("rest/api/2/priority/search?maxResults=500");
        Assert.Equal(50, page.GetProperty("maxResults").GetInt32());
        Assert.Equal(5, page.GetProperty("total").GetInt32());
        Assert.Equal("Medium", Assert.Single(page.GetProperty("values").EnumerateArray(), p => p.GetProperty("isDefault").GetBoolean()).GetProperty("name").GetString());
    }

    [Fact]
    public async Task Issue_link_types_come_in_an_object_not_a_page()
    {
        var body = await Http.GetOk("rest/api/2/issueLinkType");
        Assert.Equal(new[] { "issueLinkTypes" }, SimulatorHttp.Keys(body));
        var blocks = body.GetProperty("issueLinkTypes").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "Blocks");
        Assert.Equal("is blocked by", blocks.GetProperty("inward").GetString());
        Assert.Equal("blocks", blocks.GetProperty("outward").GetString());
    }

    [Fact]
    public async Task Labels_page_as_strings_in_a_PageBean()
    {
        var all = new List<string>();
        for (var start = 0; ; start += 3)
        {
            var page = await Http.GetOk($"rest/api/2/label?startAt={start}&maxResults=3");
            Assert.Equal(7, page.GetProperty("total").GetInt32());
            all.AddRange(page.GetProperty("values").EnumerateArray().Select(v => v.GetString()!));
            if (page.GetProperty("isLast").GetBoolean()) break;
        }
        Assert.Equal(7, all.Distinct().Count());
        Assert.Equal(all.Order(StringComparer.Ordinal), all);
        Assert.Contains("ünïcode", all);
    }

    [Fact]
    public async Task Filter_search_shows_visible_filters_and_their_jql_only_when_expanded()
    {
        var bare = await Http.GetOk("rest/api/2/filter/search");
        Assert.All(bare.GetProperty("values").EnumerateArray(), x => Assert.Equal(new[] { "expand", "id", "name", "self" }, SimulatorHttp.Keys(x).Order()));
        var ids = Strings(bare.GetProperty("values"), "id");
        Assert.Equal(5, ids.Length);
        Assert.DoesNotContain("10005", ids);   // someone else's private filter
        Assert.DoesNotContain("10006", ids);   // shared with the project the user cannot browse
        var withJql = await Http.GetOk("rest/api/2/filter/search?expand=jql,owner&id=10001");
        var filter = Assert.Single(withJql.GetProperty("values").EnumerateArray());
        Assert.StartsWith("project = ENG", filter.GetProperty("jql").GetString());
        Assert.Equal(JsonValueKind.Object, filter.GetProperty("owner").ValueKind);
        var (status, body, _) = await Http.Get("rest/api/2/filter/search?expand=jql,nonsense");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("nonsense", Error(body));
        var favourites = await Http.GetOk("rest/api/2/filter/favourite");
        Assert.All(favourites.EnumerateArray(), x => Assert.True(x.GetProperty("favourite").GetBoolean()));
    }

    [Fact]
    public async Task Groups_list_with_ids_and_members_answer_by_id_as_by_name()
    {
        var groups = (await Http.GetOk("rest/api/2/group/bulk?maxResults=2")).GetProperty("values");
        Assert.Equal(2, groups.GetArrayLength());
        var admins = (await Http.GetOk("rest/api/2/group/bulk?groupName=jira-administrators")).GetProperty("values")[0];
        var byId = await Http.GetOk($"rest/api/2/group/member?groupId={admins.GetProperty("groupId").GetString()}&includeInactiveUsers=true");
        var byName = await Http.GetOk("rest/api/2/group/member?groupname=jira-administrators&includeInactiveUsers=true");
        Assert.Equal(Strings(byName.GetProperty("values"), "accountId"), Strings(byId.GetProperty("values"), "accountId"));
        var picker = await Http.GetOk("rest/api/2/groups/picker?query=admin");
        Assert.Equal(2, picker.GetProperty("total").GetInt32());
        Assert.All(picker.GetProperty("groups").EnumerateArray(), g => Assert.False(string.IsNullOrEmpty(g.GetProperty("groupId").GetString())));
    }

    [Fact]
    public async Task Custom_field_options_come_per_context_cascading_children_last()
    {
        var fields = await Http.GetOk("rest/api/2/field");
        string FieldOf(string custom) => fields.EnumerateArray().First(x => x.TryGetProperty("schema", out var s) && s.TryGetProperty("custom", out var c) && c.GetString()!.EndsWith(custom)).GetProperty("id").GetString()!;
        var cascading = FieldOf(":cascadingselect");
        var context = (await Http.GetOk($"rest/api/2/field/{cascading}/context")).GetProperty("values")[0];
        Assert.True(context.GetProperty("isGlobalContext").GetBoolean());
        var contextId = context.GetProperty("id").GetString();
        var options = (await Http.GetOk($"rest/api/2/field/{cascading}/context/{contextId}/option?maxResults=2")).GetProperty("maxResults").GetInt32();
        Assert.Equal(2, options);
        var all = (await Http.GetOk($"rest/api/2/field/{cascading}/context/{contextId}/option")).GetProperty("values").EnumerateArray().ToList();
        var firstChild = all.FindIndex(o => o.TryGetProperty("optionId", out _));
        Assert.True(firstChild > 0 && all.Skip(firstChild).All(o => o.TryGetProperty("optionId", out _)), "parents first, then cascading options");
        var parents = all.Take(firstChild).Select(o => o.GetProperty("id").GetString()).ToHashSet();
        Assert.All(all.Skip(firstChild), o => Assert.Contains(o.GetProperty("optionId").GetString(), parents));

        var select = FieldOf(":select");
        var selectContext = (await Http.GetOk($"rest/api/2/field/{select}/context")).GetProperty("values")[0].GetProperty("id").GetString();
        var selectOptions = (await Http.GetOk($"rest/api/2/field/{select}/context/{selectContext}/option")).GetProperty("values");
        Assert.Single(selectOptions.EnumerateArray(), o => o.GetProperty("disabled").GetBoolean());

        var number = FieldOf(":float");
        var numberContext = (await Http.GetOk($"rest/api/2/field/{number}/context")).GetProperty("values")[0].GetProperty("id").GetString();
        var (status, body, _) = await Http.Get($"rest/api/2/field/{number}/context/{numberContext}/option");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("The custom field doesn't support options.", Error(body));
        (status, body, _) = await Http.Get($"rest/api/2/field/{select}/context/{numberContext}/option");
        Assert.Equal(HttpStatusCode.NotFound, status);
        (status, _, _) = await Http.Get("rest/api/2/field/summary/context");
        Assert.Equal(HttpStatusCode.NotFound, status);
    }

    [Fact]
    public async Task Boards_private_ones_only_on_request_and_sprint_errors_as_Jira_sends_them()
    {
        var normal = (await Http.GetOk("rest/agile/1.0/board")).GetProperty("values").EnumerateArray().ToList();
        var withPrivate = (await Http.GetOk("rest/agile/1.0/board?includePrivate=true")).GetProperty("values").EnumerateArray().ToList();
        Assert.Equal(normal.Count + 1, withPrivate.Count);
        var secret = withPrivate[^1];   // appended at the end, without name and type
        Assert.Equal(new[] { "id", "self" }, SimulatorHttp.Keys(secret).Order());
        Assert.Single((await Http.GetOk("rest/agile/1.0/board?type=kanban")).GetProperty("values").EnumerateArray());
        Assert.Single((await Http.GetOk("rest/agile/1.0/board?type=simple")).GetProperty("values").EnumerateArray());
        Assert.Equal(2, (await Http.GetOk("rest/agile/1.0/board?projectKeyOrId=OPS")).GetProperty("total").GetInt32());

        var kanban = normal.First(b => b.GetProperty("type").GetString() == "kanban").GetProperty("id").GetInt64();
        var response = await Http.Client.GetAsync($"rest/agile/1.0/board/{kanban}/sprint");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("""{"errorMessages":["The board does not support sprints"],"errors":{}}""", await response.Content.ReadAsStringAsync());
        var (status, _, _) = await Http.Get($"rest/agile/1.0/board/{secret.GetProperty("id").GetInt64()}/sprint");
        Assert.Equal(HttpStatusCode.Forbidden, status);
        (status, _, _) = await Http.Get("rest/agile/1.0/board/9999/sprint");
        Assert.Equal(HttpStatusCode.NotFound, status);
    }

    [Fact]
    public async Task A_shared_sprint_is_listed_under_both_boards_and_fetchable_by_id()
    {
        var ops = (await Http.GetOk("rest/agile/1.0/board?projectKeyOrId=OPS")).GetProperty("values").EnumerateArray().Select(b => b.GetProperty("id").GetInt64()).ToList();
        var lists = new List<HashSet<long>>();
        foreach (var board in ops)
            lists.Add((await Http.GetOk($"rest/agile/1.0/board/{board}/sprint")).GetProperty("values").EnumerateArray().Select(s => s.GetProperty("id").GetInt64()).ToHashSet());
        var shared = Assert.Single(lists[0].Intersect(lists[1]));
        var sprint = await Http.GetOk($"rest/agile/1.0/sprint/{shared}");
        Assert.Equal("active", sprint.GetProperty("state").GetString());
        Assert.Equal(ops[0], sprint.GetProperty("originBoardId").GetInt64());
        var active = await Http.GetOk($"rest/agile/1.0/board/{ops[1]}/sprint?state=active");
        Assert.Equal(shared, active.GetProperty("values")[0].GetProperty("id").GetInt64());
        var deleted = f.Sim.Control.Read(s => s.Sprints.Single(x => x.Deleted).Id);
        var (status, _, _) = await Http.Get($"rest/agile/1.0/sprint/{deleted}");
        Assert.Equal(HttpStatusCode.NotFound, status);
    }

    [Fact]
    public async Task Issue_pages_carry_sprints_links_and_attachments_consistently()
    {
        var fields = await Http.GetOk("rest/api/2/field");
        var sprintField = fields.EnumerateArray().Single(x => x.TryGetProperty("schema", out var s) && s.TryGetProperty("custom", out var c) && c.GetString() == "com.pyxis.greenhopper.jira:gh-sprint");
        var sprintId = sprintField.GetProperty("id").GetString()!;
        var issues = new List<JsonElement>();
        string? token = null;
        do
        {
            var page = await Http.PostOk("rest/api/2/search/jql", new { jql = "project in (ENG, OPS, WEB) ORDER BY id", fields = new[] { "*all" }, maxResults = 100, nextPageToken = token });
            issues.AddRange(page.GetProperty("issues").EnumerateArray());
            token = page.TryGetProperty("nextPageToken", out var t) ? t.GetString() : null;
        } while (token is not null);
        var byId = issues.ToDictionary(i => i.GetProperty("id").GetString()!);

        var withSprints = issues.Select(i => i.GetProperty("fields").GetProperty(sprintId)).Where(v => v.ValueKind == JsonValueKind.Array).ToList();
        Assert.NotEmpty(withSprints);
        Assert.All(withSprints, v => Assert.True(v.EnumerateArray().Count(s => s.GetProperty("state").GetString() != "closed") <= 1, "at most one open sprint"));
        Assert.Contains(withSprints, v => v.GetArrayLength() > 1);
        Assert.All(withSprints.SelectMany(v => v.EnumerateArray()), s => Assert.EndsWith("Z", s.TryGetProperty("startDate", out var d) ? d.GetString() : "Z"));

        var links = 0;
        foreach (var issue in issues)
            foreach (var link in issue.GetProperty("fields").GetProperty("issuelinks").EnumerateArray())
            {
                links++;
                var outward = link.TryGetProperty("outwardIssue", out var other);
                if (!outward) other = link.GetProperty("inwardIssue");
                var back = byId[other.GetProperty("id").GetString()!].GetProperty("fields").GetProperty("issuelinks").EnumerateArray()
                    .Single(l => l.GetProperty("id").GetString() == link.GetProperty("id").GetString());
                var mirror = back.GetProperty(outward ? "inwardIssue" : "outwardIssue");
                Assert.Equal(issue.GetProperty("key").GetString(), mirror.GetProperty("key").GetString());
                Assert.Equal(link.GetProperty("type").GetProperty("id").GetString(), back.GetProperty("type").GetProperty("id").GetString());
                Assert.Equal(byId[other.GetProperty("id").GetString()!].GetProperty("fields").GetProperty("summary").GetString(),
                    other.GetProperty("fields").GetProperty("summary").GetString());
            }
        Assert.True(links >= 10, $"only {links} link sides");

        var attachment = issues.SelectMany(i => i.GetProperty("fields").GetProperty("attachment").EnumerateArray()).First();
        var id = attachment.GetProperty("id").GetString();
        Assert.EndsWith($"/rest/api/2/attachment/content/{id}", attachment.GetProperty("content").GetString());
        Assert.Equal(JsonValueKind.Number, attachment.GetProperty("size").ValueKind);
        Assert.Equal(attachment.GetRawText(), (await Http.GetOk($"rest/api/2/attachment/{id}")).GetRawText());
    }

    [Fact]
    public async Task Watchers_agree_with_watches_and_remote_links_filter_by_global_id()
    {
        var issue = await Http.GetOk("rest/api/2/issue/ENG-3?fields=watches");
        var watchers = await Http.GetOk("rest/api/2/issue/ENG-3/watchers");
        Assert.Equal(issue.GetProperty("fields").GetProperty("watches").GetProperty("watchCount").GetInt32(), watchers.GetProperty("watchCount").GetInt32());
        Assert.Equal(watchers.GetProperty("watchCount").GetInt32(), watchers.GetProperty("watchers").GetArrayLength());
        var me = (await Http.GetOk("rest/api/2/myself")).GetProperty("accountId").GetString();
        Assert.Equal(watchers.GetProperty("isWatching").GetBoolean(), Strings(watchers.GetProperty("watchers"), "accountId").Contains(me));

        var key = f.Sim.Control.Read(s => s.Issues.First(i => s.IsVisible(i) && i.RemoteLinks.Count > 0 && i.RemoteLinks.Any(l => JiraSync.Simulator.Rendering.Renderer.RemoteLinkGlobalId(l) is not null)).Key);
        var links = await Http.GetOk($"rest/api/2/issue/{key}/remotelink");
        Assert.Equal(JsonValueKind.Array, links.ValueKind);
        var global = links.EnumerateArray().First(l => l.TryGetProperty("globalId", out _)).GetProperty("globalId").GetString()!;
        var one = await Http.GetOk($"rest/api/2/issue/{key}/remotelink?globalId={Uri.EscapeDataString(global)}");
        Assert.Equal(global, Assert.Single(one.EnumerateArray()).GetProperty("globalId").GetString());
        var (status, _, _) = await Http.Get("rest/api/2/issue/SECRET-1/watchers");
        Assert.Equal(HttpStatusCode.NotFound, status);
    }
}
