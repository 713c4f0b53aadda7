using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace JiraSync.Tests.Simulator;

/// <summary>Reads the site metadata, agile and issue-relation streams from the simulator over HTTPS the way a client
/// following docs/simulator.md would (every page, every board, every issue), independently of the simulator's model,
/// so tests can hold the records against <c>ExpectedKeys(ExpectedStreams.All)</c> and the streams' JSON schemas.
/// Each record is the item Jira returned plus the parent id a tap adds (boardId, fieldId/contextId, groupId, issueId).</summary>
public sealed partial class StreamWalker(SimulatorHttp http, bool cloud)
{
    public Dictionary<string, List<JsonObject>> Records { get; } = [];
    public Dictionary<string, HashSet<string>> Keys { get; } = [];
    /// <summary>Boards whose sprint list answered an error, with the status: kanban 400, private 403.</summary>
    public Dictionary<long, HttpStatusCode> SkippedBoards { get; } = [];

    private void Add(string stream, JsonObject record, string key)
    {
        if (!Records.TryGetValue(stream, out var list)) Records[stream] = list = [];
        list.Add(record);
        if (!Keys.TryGetValue(stream, out var keys)) Keys[stream] = keys = [];
        keys.Add(key);
    }

    private static JsonObject Obj(JsonElement e) => JsonNode.Parse(e.GetRawText())!.AsObject();

    private static string Str(JsonElement e) => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText();

    /// <summary>Every item of a PageBean (values, isLast) or agile page, asking small pages to exercise paging.</summary>
    private async Task<List<JsonElement>> Pages(string path, int pageSize, string property = "values")
    {
        var items = new List<JsonElement>();
        var sep = path.Contains('?') ? '&' : '?';
        for (var start = 0; ; )
        {
            var page = await http.GetOk($"{path}{sep}startAt={start}&maxResults={pageSize}");
            var values = page.GetProperty(property).EnumerateArray().ToList();
            items.AddRange(values);
            if (values.Count == 0 || page.GetProperty("isLast").GetBoolean()) return items;
            start += values.Count;
        }
    }

    public async Task WalkAllAsync()
    {
        await SiteMetadataAsync();
        await GroupsAsync();
        await AgileAsync();
        await IssuesAsync();
    }

    private async Task SiteMetadataAsync()
    {
        foreach (var s in (await http.GetOk("rest/api/2/status")).EnumerateArray()) Add("statuses", Obj(s), Str(s.GetProperty("id")));
        foreach (var c in (await http.GetOk("rest/api/2/statuscategory")).EnumerateArray()) Add("status_categories", Obj(c), Str(c.GetProperty("id")));
        var priorities = cloud ? await Pages("rest/api/2/priority/search", 2) : (await http.GetOk("rest/api/2/priority")).EnumerateArray().ToList();
        foreach (var p in priorities) Add("priorities", Obj(p), Str(p.GetProperty("id")));
        foreach (var t in (await http.GetOk("rest/api/2/issuetype")).EnumerateArray()) Add("issue_types", Obj(t), Str(t.GetProperty("id")));
        foreach (var t in (await http.GetOk("rest/api/2/issueLinkType")).GetProperty("issueLinkTypes").EnumerateArray()) Add("issue_link_types", Obj(t), Str(t.GetProperty("id")));

        var fields = (await http.GetOk("rest/api/2/field")).EnumerateArray().ToList();
        foreach (var f in fields) Add("fields", Obj(f), Str(f.GetProperty("id")));
        if (cloud)
        {
            // Option fields, found by schema: option, array of option, option-with-child.
            foreach (var f in fields.Where(IsOptionField))
            {
                var fieldId = f.GetProperty("id").GetString()!;
                foreach (var ctx in await Pages($"rest/api/2/field/{fieldId}/context", 1))
                {
                    var contextId = ctx.GetProperty("id").GetString()!;
                    foreach (var o in await Pages($"rest/api/2/field/{fieldId}/context/{contextId}/option", 3))
                    {
                        var record = Obj(o);
                        record["fieldId"] = fieldId;
                        record["contextId"] = contextId;
                        Add("custom_field_options", record, o.GetProperty("id").GetString()!);
                    }
                }
            }
            foreach (var l in await Pages("rest/api/2/label", 3)) Add("labels", new JsonObject { ["label"] = l.GetString() }, l.GetString()!);
            foreach (var f in await Pages("rest/api/2/filter/search?expand=" + string.Join(',', FilterExpands), 2)) Add("filters", Obj(f), f.GetProperty("id").GetString()!);
        }
        else
        {
            Keys.TryAdd("custom_field_options", []);
            Keys.TryAdd("labels", []);
            foreach (var path in new[] { "rest/api/2/filter/my", "rest/api/2/filter/favourite" })
                foreach (var f in (await http.GetOk(path)).EnumerateArray()) Add("filters", Obj(f), f.GetProperty("id").GetString()!);
        }
    }

    private static readonly string[] FilterExpands =
        ["description", "owner", "jql", "searchUrl", "viewUrl", "favourite", "favouritedCount", "sharePermissions", "editPermissions", "isWritable", "subscriptions", "approximateLastUsed"];

    private static bool IsOptionField(JsonElement f) =>
        f.TryGetProperty("schema", out var s) && f.GetProperty("custom").GetBoolean() &&
        (s.GetProperty("type").GetString() is "option" or "option-with-child" ||
         s.GetProperty("type").GetString() == "array" && s.TryGetProperty("items", out var i) && i.GetString() == "option");

    private async Task GroupsAsync()
    {
        var groups = new List<(string Key, string Query)>();
        if (cloud)
            foreach (var g in await Pages("rest/api/2/group/bulk", 2))
            {
                Add("groups", Obj(g), g.GetProperty("groupId").GetString()!);
                groups.Add((g.GetProperty("groupId").GetString()!, "groupId=" + g.GetProperty("groupId").GetString()));
            }
        else
            foreach (var g in (await http.GetOk("rest/api/2/groups/picker?maxResults=1000")).GetProperty("groups").EnumerateArray())
            {
                var name = g.GetProperty("name").GetString()!;
                Add("groups", Obj(g), name);
                groups.Add((name, "groupname=" + Uri.EscapeDataString(name)));
            }
        foreach (var (key, query) in groups)
            foreach (var u in await Pages($"rest/api/2/group/member?{query}&includeInactiveUsers=true", 7))
            {
                var record = Obj(u);
                record["groupId"] = key;
                Add("group_members", record, $"{key}|{UserKey(u)}");
            }
    }

    private string UserKey(JsonElement u) => u.GetProperty(cloud ? "accountId" : "key").GetString()!;

    private async Task AgileAsync()
    {
        foreach (var b in await Pages("rest/agile/1.0/board?includePrivate=true", 2))
        {
            var boardId = b.GetProperty("id").GetInt64();
            Add("boards", Obj(b), boardId.ToString());
            var (status, body, _) = await http.Get($"rest/agile/1.0/board/{boardId}/sprint?maxResults=1");
            if (status != HttpStatusCode.OK) { SkippedBoards[boardId] = status; continue; }
            Assert.True(body.TryGetProperty("values", out _), body.GetRawText());
            foreach (var s in await Pages($"rest/agile/1.0/board/{boardId}/sprint", 1))
            {
                var record = Obj(s);
                record["boardId"] = boardId;
                var id = s.GetProperty("id").GetInt64().ToString();
                if (Keys.TryGetValue("sprints", out var seen) && seen.Contains(id)) continue;   // a shared sprint is one record
                Add("sprints", record, id);
            }
        }
    }

    [GeneratedRegex(@"\[id=(\d+),")]
    private static partial Regex LegacySprintId();

    private async Task IssuesAsync()
    {
        var fields = (await http.GetOk("rest/api/2/field")).EnumerateArray().ToList();
        var sprintField = fields.Single(f => f.TryGetProperty("schema", out var s) && s.TryGetProperty("custom", out var c) && c.GetString() == "com.pyxis.greenhopper.jira:gh-sprint")
            .GetProperty("id").GetString()!;
        foreach (var name in new[] { "sprint_issues", "issue_links", "attachments", "issue_watchers", "issue_remote_links" }) Keys.TryAdd(name, []);
        foreach (var issue in await AllIssuesAsync())
        {
            var issueId = issue.GetProperty("id").GetString()!;
            var f = issue.GetProperty("fields");
            if (f.GetProperty(sprintField) is { ValueKind: JsonValueKind.Array } sprints)
                foreach (var s in sprints.EnumerateArray())
                {
                    var sprintId = cloud ? s.GetProperty("id").GetInt64() : long.Parse(LegacySprintId().Match(s.GetString()!).Groups[1].Value);
                    Add("sprint_issues", new JsonObject { ["sprintId"] = sprintId, ["issueId"] = issueId }, $"{sprintId}|{issueId}");
                }
            foreach (var l in f.GetProperty("issuelinks").EnumerateArray()) Add("issue_links", WithIssue(l, issueId), l.GetProperty("id").GetString()!);
            foreach (var a in f.GetProperty("attachment").EnumerateArray()) Add("attachments", WithIssue(a, issueId), a.GetProperty("id").GetString()!);
            var watchers = await http.GetOk($"rest/api/2/issue/{issueId}/watchers");
            Assert.Equal(f.GetProperty("watches").GetProperty("watchCount").GetInt32(), watchers.GetProperty("watchers").GetArrayLength());
            foreach (var u in watchers.GetProperty("watchers").EnumerateArray()) Add("issue_watchers", WithIssue(u, issueId), $"{issueId}|{UserKey(u)}");
            foreach (var r in (await http.GetOk($"rest/api/2/issue/{issueId}/remotelink")).EnumerateArray())
                Add("issue_remote_links", WithIssue(r, issueId), r.GetProperty("id").GetRawText());
        }
    }

    private static JsonObject WithIssue(JsonElement e, string issueId)
    {
        var record = Obj(e);
        record["issueId"] = issueId;
        return record;
    }

    /// <summary>All visible issues with every field: enhanced search with tokens on Cloud, legacy startAt search on Server.</summary>
    private async Task<List<JsonElement>> AllIssuesAsync()
    {
        var keys = (await http.GetOk("rest/api/2/project")).EnumerateArray().Select(p => p.GetProperty("key").GetString()).ToList();
        var jql = $"project in ({string.Join(',', keys)}) ORDER BY id ASC";
        var issues = new List<JsonElement>();
        if (cloud)
        {
            string? token = null;
            do
            {
                var page = await http.PostOk("rest/api/2/search/jql", new { jql, fields = new[] { "*all" }, maxResults = 100, nextPageToken = token });
                issues.AddRange(page.GetProperty("issues").EnumerateArray());
                token = page.TryGetProperty("nextPageToken", out var t) ? t.GetString() : null;
            } while (token is not null);
            return issues;
        }
        for (var start = 0; ; )
        {
            var page = await http.GetOk($"rest/api/2/search?jql={Uri.EscapeDataString(jql)}&fields=*all&startAt={start}&maxResults=100");
            var batch = page.GetProperty("issues").EnumerateArray().ToList();
            issues.AddRange(batch);
            start += batch.Count;
            if (batch.Count == 0 || start >= page.GetProperty("total").GetInt32()) return issues;
        }
    }
}
