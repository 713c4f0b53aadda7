using JiraSync.Logging;
using System.Text.Json;
using System.Text.Json.Nodes;
using JiraSync.Singer;

namespace JiraSync.Streams;

/// <summary>
/// issues and the streams read from the same search pages: issue_comments, changelogs,
/// issue_transitions (tap-jira's meaning: the transitions available from the issue's current status).
///
/// One sweep: JQL "updated &gt;= literal ORDER BY updated ASC" from the earliest bookmark of the
/// selected family members, the literal in the user's time zone at minute precision minus
/// lookback_minutes, read through <see cref="IssueHydration"/>. After every page (100 issues) all of
/// that page's records are emitted, then each selected
/// member's "updated" bookmark moves to the page's newest updated (never past the run's start on
/// Jira's clock), then STATE: a run killed anywhere restarts from its last STATE and loses nothing.
/// An issue seen twice in one run (moved by an update while the search ran) is emitted once; its
/// newer version is after the run-start cap and comes in the next run.
/// Then, when issues is selected, <see cref="IssueReconciler"/> finds deleted issues.
/// </summary>
public static class IssueFamilyFetcher
{
    public static readonly string[] Members = ["issues", "issue_comments", "changelogs", "issue_transitions"];
    public const string BookmarkKey = "updated";

    public static async Task SyncAsync(TapContext ctx, CancellationToken ct)
    {
        var output = ctx.Output;
        var state = output.State;
        var selected = Members.Where(output.IsSelected).ToList();
        if (selected.Count == 0) return;
        bool wantIssues = output.IsSelected("issues"), wantComments = output.IsSelected("issue_comments"),
             wantChangelogs = output.IsSelected("changelogs"), wantTransitions = output.IsSelected("issue_transitions");

        var start = selected.Select(m => state.GetDate(m, BookmarkKey) ?? ctx.Config.StartDate).Min();
        var literal = JqlTime.Literal(start, ctx.Instance.UserTimeZone, ctx.Config.LookbackMinutes);
        var jql = $"{ctx.ProjectClause()}updated >= \"{literal}\" ORDER BY updated ASC";
        var fields = wantIssues ? new[] { "*all" } : wantComments ? ["updated", "comment"] : ["updated"];
        var expand = string.Join(',', new[] { wantChangelogs ? "changelog" : null, wantTransitions ? "transitions" : null }.Where(e => e != null));
        ctx.Log.Info($"issues: searching {jql}");

        var signpost = ctx.Instance.ServerTime;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var page in IssueHydration.PagesAsync(ctx, jql, fields, expand, ct).WithCancellation(ct))
        {
            var issues = page.Issues.Where(i => seen.Add(Id(i))).ToList();
            var children = await FetchChildrenAsync(ctx, issues, wantComments, wantChangelogs, ct);
            DateTimeOffset? pageMax = null;
            foreach (var issue in issues)
            {
                var id = Id(issue);
                var record = SiteStreamFetcher.ToRecord(issue);
                var fieldsObj = record["fields"] as JsonObject;
                var updatedText = fieldsObj?["updated"] is JsonValue uv && uv.TryGetValue<string>(out var u) ? u : null;
                // An issue updated after the run started says nothing about where the listing was
                // (its old position is unknown); leaving it out keeps the bookmark behind every unread issue.
                if (SingerTime.TryParse(updatedText, out var updated) && updated <= signpost && (pageMax is null || updated > pageMax)) pageMax = updated;

                var changelog = record["changelog"];
                var transitions = record["transitions"] as JsonArray;
                var comment = fieldsObj?["comment"];
                record.Remove("changelog");
                record.Remove("transitions");
                fieldsObj?.Remove("comment"); // comments are their own stream (tap-jira pops it too)
                if (wantIssues)
                {
                    if (updatedText != null) record["updated"] = updatedText;
                    await output.RecordAsync("issues", record, page.Extracted, ct);
                }
                if (wantComments)
                {
                    var list = children.Comments.GetValueOrDefault(id) ?? Embedded(comment, "comments");
                    foreach (var c in list) await EmitChildAsync(output, "issue_comments", c, id, page.Extracted, ct);
                }
                if (wantChangelogs)
                {
                    var list = children.Histories.GetValueOrDefault(id) ?? Embedded(changelog, "histories");
                    foreach (var h in list) await EmitChildAsync(output, "changelogs", h, id, page.Extracted, ct);
                }
                if (wantTransitions && transitions != null)
                    foreach (var t in transitions.ToArray())
                    {
                        transitions.Remove(t);
                        if (t is JsonObject to) { to["issueId"] = id; await output.RecordAsync("issue_transitions", to, page.Extracted, ct); }
                    }
            }
            if (pageMax is { } max)
            {
                foreach (var m in selected)
                    if (state.GetDate(m, BookmarkKey) is not { } old || max > old) state.SetDate(m, BookmarkKey, max);
            }
            await output.StateAsync(ct);
        }
        // A sweep that found nothing still establishes the bookmark, so the next run starts here, not at start_date.
        foreach (var m in selected)
            if (state.GetDate(m, BookmarkKey) is null) state.SetDate(m, BookmarkKey, start > signpost ? signpost : start);
        await output.StateAsync(ct);

        if (wantIssues) await IssueReconciler.RunAsync(ctx, ct);
    }

    private static string Id(JsonElement issue) =>
        issue.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString()!
        : throw JiraPaging.Unexpected("rest/api/2/search/jql", "an issue without a string \"id\"");

    private static IEnumerable<JsonNode?> Embedded(JsonNode? envelope, string name) =>
        envelope?[name] is JsonArray arr ? arr.ToArray().Select(n => { arr.Remove(n); return n; }) : [];

    private static async Task EmitChildAsync(TapOutput output, string stream, object item, string issueId, DateTimeOffset extracted, CancellationToken ct)
    {
        var record = item switch
        {
            JsonElement e => SiteStreamFetcher.ToRecord(e),
            JsonObject o => o,
            _ => null,
        };
        if (record is null) return;
        record["issueId"] = issueId;
        await output.RecordAsync(stream, record, extracted, ct);
    }

    private sealed record Children(Dictionary<string, IEnumerable<object>> Comments, Dictionary<string, IEnumerable<object>> Histories);

    /// <summary>Reads, concurrently, the comments and histories search did not embed in full.</summary>
    private static async Task<Children> FetchChildrenAsync(TapContext ctx, List<JsonElement> issues, bool comments, bool changelogs, CancellationToken ct)
    {
        var result = new Children(new(), new());
        var needComments = comments
            ? issues.Where(i => IssueChildren.IsIncomplete(Fields(i, "comment"), "comments")).Select(Id).ToList() : [];
        var needHistories = changelogs
            ? issues.Where(i => IssueChildren.IsIncomplete(i.TryGetProperty("changelog", out var c) ? c : null, "histories")).Select(Id).ToList() : [];
        if (needComments.Count == 0 && needHistories.Count == 0) return result;

        Task<Dictionary<string, List<JsonElement>>?> bulk = needHistories.Count > 0 && !ctx.Instance.IsServer
            ? IssueChildren.BulkChangelogsAsync(ctx, needHistories, ct)
            : Task.FromResult<Dictionary<string, List<JsonElement>>?>(null);
        await foreach (var (id, list) in OrderedConcurrency.MapAsync(needComments,
                           async (id, t) => (id, await IssueChildren.CommentsAsync(ctx, id, t)), ctx.Concurrency, ct).WithCancellation(ct))
            if (list != null) result.Comments[id] = list.Cast<object>();

        var histories = await bulk;
        if (histories != null)
            foreach (var (id, list) in histories) result.Histories[id] = list.Cast<object>();
        else if (needHistories.Count > 0)
            await foreach (var (id, list) in OrderedConcurrency.MapAsync(needHistories,
                               async (id, t) => (id, await IssueChildren.ChangelogAsync(ctx, id, t)), ctx.Concurrency, ct).WithCancellation(ct))
                if (list != null) result.Histories[id] = list.Cast<object>();
        return result;
    }

    private static JsonElement? Fields(JsonElement issue, string name) =>
        issue.TryGetProperty("fields", out var f) && f.ValueKind == JsonValueKind.Object && f.TryGetProperty(name, out var v) ? v : null;
}
