using System.Net;
using System.Text.Json;
using JiraSync.Simulator;
using JiraSync.Simulator.Control;

namespace JiraSync.Tests.Simulator;

/// <summary>The issue-8 mutations and the issue-9 history scenarios, checked through the REST API a client reads.</summary>
public sealed class ExtendedControlTests : IAsyncLifetime
{
    private JiraSimulator _sim = null!;
    private SimulatorHttp _http = null!;
    private SimulatorControl Control => _sim.Control;

    public async Task InitializeAsync()
    {
        _sim = await JiraSimulator.StartAsync(new SimulatorOptions { IssuesPerProject = 12, HeavyIssues = 0, WorklogsAtOneInstant = 0 });
        _http = new SimulatorHttp(_sim);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _sim.DisposeAsync();
    }

    private async Task<JsonElement> Issue(string key) => await _http.GetOk($"rest/api/2/issue/{key}?expand=changelog");

    private static JsonElement Newest(JsonElement issue) => issue.GetProperty("changelog").GetProperty("histories")[0];

    private static DateTimeOffset Updated(JsonElement issue) => JiraTimestamp.Parse(issue.GetProperty("fields").GetProperty("updated").GetString()!);

    private static string? Str(JsonElement item, string name) => item.GetProperty(name).ValueKind == JsonValueKind.Null ? null : item.GetProperty(name).GetString();

    [Fact]
    public async Task Adding_and_removing_a_link_journals_both_issues_and_bumps_updated()
    {
        Control.AdvanceClock(TimeSpan.FromHours(1));
        var id = Control.AddLink("ENG-2", "OPS-3", "Blocks");
        var eng = await Issue("ENG-2");
        var ops = await Issue("OPS-3");
        Assert.Equal(Control.Now, Updated(eng));
        Assert.Equal(Control.Now, Updated(ops));
        var outward = eng.GetProperty("fields").GetProperty("issuelinks").EnumerateArray().Single(l => l.GetProperty("id").GetString() == id);
        Assert.Equal("OPS-3", outward.GetProperty("outwardIssue").GetProperty("key").GetString());
        var inward = ops.GetProperty("fields").GetProperty("issuelinks").EnumerateArray().Single(l => l.GetProperty("id").GetString() == id);
        Assert.Equal("ENG-2", inward.GetProperty("inwardIssue").GetProperty("key").GetString());
        var item = Newest(eng).GetProperty("items")[0];
        Assert.Equal("Link", item.GetProperty("field").GetString());
        Assert.Equal("This issue blocks OPS-3", Str(item, "toString"));
        Assert.Equal("This issue is blocked by ENG-2", Str(Newest(ops).GetProperty("items")[0], "toString"));

        Control.AdvanceClock(TimeSpan.FromMinutes(1));
        Control.RemoveLink(id);
        eng = await Issue("ENG-2");
        Assert.DoesNotContain(eng.GetProperty("fields").GetProperty("issuelinks").EnumerateArray(), l => l.GetProperty("id").GetString() == id);
        Assert.Equal(Control.Now, Updated(eng));
        Assert.Equal("This issue blocks OPS-3", Str(Newest(eng).GetProperty("items")[0], "fromString"));
        Assert.Null(Str(Newest(eng).GetProperty("items")[0], "to"));
        Assert.Throws<ArgumentException>(() => Control.AddLink("ENG-2", "OPS-3", "Loves"));
    }

    [Fact]
    public async Task Sprint_changes_list_every_sprint_id_before_and_after()
    {
        var sprintField = Control.Read(s => s.SprintField!.Id);
        var eng = Control.Read(s => s.Sprints.Where(x => !x.Deleted && s.Boards.First(b => b.Id == x.BoardId).Project.Key == "ENG").OrderBy(x => x.Id).ToList());
        var (closed, active, future) = (eng[0], eng[1], eng[2]);
        Control.AdvanceClock(TimeSpan.FromMinutes(5));
        var key = Control.Read(s => s.Issues.First(i => s.IsVisible(i) && i.Project.Key == "ENG").Key);
        Control.SetIssueSprints(key, closed.Id, active.Id);
        Control.AdvanceClock(TimeSpan.FromMinutes(5));
        Control.MoveIssueToSprint(key, future.Id);

        var issue = await Issue(key);
        var item = Newest(issue).GetProperty("items")[0];
        Assert.Equal(sprintField, item.GetProperty("fieldId").GetString());
        Assert.Equal("custom", item.GetProperty("fieldtype").GetString());
        Assert.Equal($"{closed.Id}, {active.Id}", Str(item, "from"));
        Assert.Equal($"{closed.Id}, {future.Id}", Str(item, "to"));
        Assert.Equal($"{closed.Name}, {future.Name}", Str(item, "toString"));
        Assert.Equal(new[] { closed.Id, future.Id }, issue.GetProperty("fields").GetProperty(sprintField).EnumerateArray().Select(s => s.GetProperty("id").GetInt64()));
        Assert.Equal(Control.Now, Updated(issue));

        Control.AdvanceClock(TimeSpan.FromMinutes(5));
        Control.DeleteSprint(future.Id);
        issue = await Issue(key);
        Assert.Equal(new[] { closed.Id }, issue.GetProperty("fields").GetProperty(sprintField).EnumerateArray().Select(s => s.GetProperty("id").GetInt64()));
        Assert.Equal($"{closed.Id}", Str(Newest(issue).GetProperty("items")[0], "to"));
        Assert.Throws<KeyNotFoundException>(() => Control.MoveIssueToSprint(key, future.Id));
    }

    [Fact]
    public async Task New_boards_and_attachments_show_up()
    {
        var board = Control.AddBoard("WEB", "kanban");
        var boards = (await _http.GetOk("rest/agile/1.0/board?projectKeyOrId=WEB")).GetProperty("values").EnumerateArray().Select(b => b.GetProperty("id").GetInt64().ToString());
        Assert.Contains(board, boards);
        var scrum = Control.AddBoard("WEB");
        Assert.Single((await _http.GetOk($"rest/agile/1.0/board/{scrum}/sprint")).GetProperty("values").EnumerateArray());

        Control.AdvanceClock(TimeSpan.FromMinutes(2));
        var attachment = Control.AddAttachment("WEB-1", "Résumé 東京.pdf", "application/pdf", 2048);
        var issue = await Issue("WEB-1");
        var meta = issue.GetProperty("fields").GetProperty("attachment").EnumerateArray().Single(a => a.GetProperty("id").GetString() == attachment);
        Assert.Equal("Résumé 東京.pdf", meta.GetProperty("filename").GetString());
        Assert.Equal(2048, meta.GetProperty("size").GetInt64());
        Assert.Equal(Control.Now, JiraTimestamp.Parse(meta.GetProperty("created").GetString()!));
        Assert.Equal(Control.Now, Updated(issue));
        Assert.Equal("attachment", Newest(issue).GetProperty("items")[0].GetProperty("fieldId").GetString());
    }

    [Fact]
    public async Task An_issue_created_in_a_later_status_has_no_history_until_it_changes()
    {
        var id = Control.AddIssueWithKnownHistory("ENG", "In Review");
        var issue = await Issue(id);
        Assert.Equal("In Review", issue.GetProperty("fields").GetProperty("status").GetProperty("name").GetString());
        Assert.Equal(0, issue.GetProperty("changelog").GetProperty("total").GetInt32());
        Assert.Equal(issue.GetProperty("fields").GetProperty("created").GetString(), issue.GetProperty("fields").GetProperty("updated").GetString());
        Assert.Equal(JsonValueKind.Null, issue.GetProperty("fields").GetProperty("customfield_10010").ValueKind);   // number fields start empty
    }

    [Fact]
    public async Task Round_trips_in_one_millisecond_are_ordered_by_history_id()
    {
        var id = Control.AddIssueWithKnownHistory("OPS");
        Control.AdvanceClock(TimeSpan.FromSeconds(1));
        Control.TransitionIssue(id, "In Progress");
        Control.TransitionIssue(id, "Done");          // same millisecond
        Control.AdvanceClock(TimeSpan.FromMinutes(1));
        Control.TransitionIssue(id, "In Progress");   // reopened
        Control.TransitionIssue(id, "To Do");

        var page = await _http.GetOk($"rest/api/2/issue/{id}/changelog");
        var histories = page.GetProperty("values").EnumerateArray().ToList();
        Assert.Equal(4, histories.Count);
        Assert.Equal(histories[0].GetProperty("created").GetString(), histories[1].GetProperty("created").GetString());
        Assert.True(long.Parse(histories[0].GetProperty("id").GetString()!) < long.Parse(histories[1].GetProperty("id").GetString()!));
        var statusPath = histories.Select(h => h.GetProperty("items").EnumerateArray().First(i => i.GetProperty("field").GetString() == "status"))
            .Select(i => $"{Str(i, "fromString")}>{Str(i, "toString")}");
        Assert.Equal(new[] { "To Do>In Progress", "In Progress>Done", "Done>In Progress", "In Progress>To Do" }, statusPath);
        // Done sets the resolution, reopening clears it, both journaled.
        Assert.Equal("Done", Str(histories[1].GetProperty("items").EnumerateArray().Single(i => i.GetProperty("field").GetString() == "resolution"), "toString"));
        Assert.Equal("Done", Str(histories[2].GetProperty("items").EnumerateArray().Single(i => i.GetProperty("field").GetString() == "resolution"), "fromString"));
        Assert.Equal(JsonValueKind.Null, (await Issue(id)).GetProperty("fields").GetProperty("resolution").ValueKind);
    }

    [Fact]
    public async Task A_renamed_field_keeps_its_old_name_in_older_histories()
    {
        var id = Control.AddIssueWithKnownHistory("WEB");
        Control.SetNumberField(id, "customfield_10010", 3);
        Control.AdvanceClock(TimeSpan.FromSeconds(5));
        Control.RenameCustomField("customfield_10010", "Story point estimate");
        Control.SetNumberField(id, "customfield_10010", 5.5);

        var items = (await _http.GetOk($"rest/api/2/issue/{id}/changelog")).GetProperty("values").EnumerateArray()
            .Select(h => h.GetProperty("items")[0]).ToList();
        Assert.Equal(new[] { "Story Points", "Story point estimate" }, items.Select(i => i.GetProperty("field").GetString()));
        Assert.All(items, i => Assert.Equal("customfield_10010", i.GetProperty("fieldId").GetString()));
        Assert.Equal(new string?[] { null, "3" }, items.Select(i => Str(i, "fromString")));
        Assert.Equal(new[] { "3", "5.5" }, items.Select(i => Str(i, "toString")));
        var field = (await _http.GetOk("rest/api/2/field")).EnumerateArray().Single(f => f.GetProperty("id").GetString() == "customfield_10010");
        Assert.Equal("Story point estimate", field.GetProperty("name").GetString());
        Assert.Equal(5.5, (await Issue(id)).GetProperty("fields").GetProperty("customfield_10010").GetDouble());
    }

    [Fact]
    public async Task A_moved_issue_keeps_its_id_and_its_old_key_still_resolves()
    {
        var id = Control.Read(s => s.Issues.First(i => s.IsVisible(i) && i.Project.Key == "ENG" && i.ComponentId is not null).Id.ToString());
        var oldKey = (await Issue(id)).GetProperty("key").GetString()!;
        Control.AdvanceClock(TimeSpan.FromMinutes(1));
        var newKey = Control.MoveIssue(id, "OPS");
        Assert.StartsWith("OPS-", newKey);
        var viaOld = await Issue(oldKey);
        Assert.Equal(id, viaOld.GetProperty("id").GetString());
        Assert.Equal(newKey, viaOld.GetProperty("key").GetString());
        Assert.Equal("OPS", viaOld.GetProperty("fields").GetProperty("project").GetProperty("key").GetString());
        var items = Newest(viaOld).GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("fieldId").GetString()!);
        Assert.Equal(oldKey, Str(items["issuekey"], "fromString"));
        Assert.Equal(newKey, Str(items["issuekey"], "toString"));
        Assert.Equal("10001", Str(items["project"], "to"));
        Assert.Null(Str(items["components"], "to"));
        Assert.Empty(viaOld.GetProperty("fields").GetProperty("components").EnumerateArray());
        var found = await _http.PostOk("rest/api/2/search/jql", new { jql = "project = OPS ORDER BY updated DESC", maxResults = 1 });
        Assert.Equal(id, found.GetProperty("issues")[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task The_new_mutations_work_over_HTTP()
    {
        var control = _http.Client;   // /__sim/ ignores the credentials
        async Task<JsonElement> Call(HttpMethod method, string path)
        {
            var response = await control.SendAsync(new HttpRequestMessage(method, path));
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{method} {path}: {(int)response.StatusCode} {body}");
            return body;
        }
        var link = (await Call(HttpMethod.Post, "__sim/links?from=ENG-1&to=ENG-2&type=Relates")).GetProperty("id").GetString()!;
        await Call(HttpMethod.Delete, $"__sim/links/{link}");
        var board = (await Call(HttpMethod.Post, "__sim/projects/ENG/boards?type=simple")).GetProperty("id").GetString()!;
        var issue = (await Call(HttpMethod.Post, "__sim/projects/ENG/known-issues?status=Done")).GetProperty("id").GetString()!;
        await Call(HttpMethod.Post, $"__sim/issues/{issue}/transition?status=In%20Review");
        await Call(HttpMethod.Post, $"__sim/issues/{issue}/number?field=customfield_10010&value=8");
        await Call(HttpMethod.Post, "__sim/fields/customfield_10010/rename?name=Points");
        await Call(HttpMethod.Post, $"__sim/issues/{issue}/sprints?ids=1,2");
        await Call(HttpMethod.Post, $"__sim/issues/{issue}/sprint?sprintId=3");
        await Call(HttpMethod.Post, $"__sim/issues/{issue}/attachments?filename=a.txt");
        var moved = (await Call(HttpMethod.Post, $"__sim/issues/{issue}/move?project=WEB")).GetProperty("key").GetString();
        await Call(HttpMethod.Delete, "__sim/sprints/3");
        var keys = await Call(HttpMethod.Get, "__sim/expected-keys?streams=all");
        Assert.Contains(board, keys.GetProperty("boards").EnumerateArray().Select(k => k.GetString()));
        Assert.DoesNotContain(link, keys.GetProperty("issue_links").EnumerateArray().Select(k => k.GetString()));
        // sprints 1, 2 → moved to 3 (the closed 1 stays) → 3 deleted: only 1 is left.
        Assert.Equal(new[] { $"1|{issue}" }, keys.GetProperty("sprint_issues").EnumerateArray().Select(k => k.GetString()).Where(k => k!.EndsWith($"|{issue}")));
        Assert.False((await Call(HttpMethod.Get, "__sim/expected-keys")).TryGetProperty("boards", out _));
        // transition, number, sprints, sprint, attachment, move, sprint deleted: one history each
        Assert.Equal(7, (await _http.GetOk($"rest/api/2/issue/{moved}/changelog")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Without_admin_permissions_groups_and_field_options_answer_403()
    {
        await using var sim = await JiraSimulator.StartAsync(new SimulatorOptions { Projects = 1, IssuesPerProject = 2, HeavyIssues = 0, AdminPermissions = false });
        using var http = new SimulatorHttp(sim);
        var (status, body, _) = await http.Get("rest/api/2/group/bulk");
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("Browse users and groups permission is required to view groups.", body.GetProperty("errorMessages")[0].GetString());
        (status, body, _) = await http.Get("rest/api/2/field/customfield_10012/context");
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("Only Jira administrators can access custom field contexts.", body.GetProperty("errorMessages")[0].GetString());
        (status, _, _) = await http.Get("rest/api/2/field/customfield_10012/context/20112/option");
        Assert.Equal(HttpStatusCode.Forbidden, status);
        // Lists everybody may read stay open.
        Assert.Equal(4, (await http.GetOk("rest/api/2/issueLinkType")).GetProperty("issueLinkTypes").GetArrayLength());
    }
}
