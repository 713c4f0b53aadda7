using System.Text.Json;
using System.Text.Json.Nodes;
using JiraSync.Logging;
using JiraSync.Singer;

namespace JiraSync.Streams;

/// <summary>
/// issues and the streams read from the same search pages: issue_comments, changelogs,
/// issue_transitions (tap-jira's meaning: the transitions available from the issue's current status).
///
/// One sweep: JQL "updated &gt;= literal ORDER BY updated ASC" from the earliest bookmark of the
/// selected family members, the literal in the user's time zone at minute precision minus
/// lookback_minutes, read through <see cref="IssueHydration"/>; STATE after every page.
///
/// Search pages are positions in a result that changes while it is read: an issue updated during the
/// run moves to the end and shifts the issues after it one place back, so one of them can fall
/// between two pages. So the sweep goes in segments (an id page of up to 5000 issues on Cloud, 20
/// search pages on Server/DC): at the end of each, the segment's time range is listed again (ids
/// only, one cheap request) and any issue the pages missed is read and emitted; only then do the
/// selected members' "updated" bookmarks move to the segment's newest updated, never past the run's
/// start on Jira's clock. A run killed anywhere restarts from its last STATE, repeats at most one
/// segment and loses nothing. An issue seen twice in one run is emitted once; its newer version is
/// after the run-start cap and comes in the next run.
/// Then, when issues is selected, <see cref="IssueReconciler"/> finds deleted issues.
/// </summary>
public static class IssueFamilyFetcher
{
    public static readonly string[] Members = ["issues", "issue_comments", "changelogs", "issue_transitions"];
    private const int VerificationRounds = 3;

    public static async Task SyncAsync(TapContext ctx, CancellationToken ct)
    {
        var output = ctx.Output;
        var state = output.State;
        var selected = Members.Where(output.IsSelected).ToList();
        if (selected.Count == 0) return;
        bool wantIssues = output.IsSelected("issues"), wantComments = output.IsSelected("issue_comments"),
             wantChangelogs = output.IsSelected("changelogs"), wantTransitions = output.IsSelected("issue_transitions");

        var start = selected.Select(m => state.Get(m, Bookmarks.Updated) ?? ctx.Config.StartDate).Min();
        var fields = wantIssues ? new[] { "*all" } : wantComments ? ["updated", "comment"] : ["updated"];
        var expand = string.Join(',', new[] { wantChangelogs ? "changelog" : null, wantTransitions ? "transitions" : null }.Where(e => e != null));
        var signpost = ctx.Instance.ServerTime;
        var seen = new HashSet<string>(StringComparer.Ordinal);

        async Task<DateTimeOffset?> EmitPageAsync(SearchPage page)
        {
            var issues = page.Issues.Where(i => seen.Add(Id(i))).ToList();
            return await EmitIssuesAsync(ctx, issues, page.Extracted, signpost, wantIssues, wantComments, wantChangelogs, wantTransitions, ct);
        }

        // The segment's range listed again by id; whatever the pages missed is read now.
        async Task VerifyAsync(DateTimeOffset from, DateTimeOffset to)
        {
            var range = $"{ctx.ProjectClause()}updated >= \"{JqlTime.Literal(from, ctx.Instance.TimeZone, ctx.Config.LookbackMinutes)}\"" +
                        $" AND updated <= \"{JqlTime.UpperLiteral(to, ctx.Instance.TimeZone)}\" ORDER BY updated ASC";
            for (var round = 0; round < VerificationRounds; round++)
            {
                var missed = new List<string>();
                await foreach (var idPage in IssueSearch.PagesAsync(ctx, range, ["id"], "", ctx.Instance.IsServer ? 1000 : IssueHydration.IdPageSize, ct).WithCancellation(ct))
                    missed.AddRange(idPage.Issues.Select(Id).Where(id => !seen.Contains(id)));
                if (missed.Count == 0) return;
                ctx.Log.Info($"issues: {missed.Count} issue(s) were not on the search pages (moved by updates during the run); reading them");
                await foreach (var page in IssueHydration.PagesForIdsAsync(ctx, missed, fields, expand, ct).WithCancellation(ct))
                {
                    await EmitPageAsync(page);
                    await output.StateAsync(ct);
                }
            }
        }

        var jql = $"{ctx.ProjectClause()}updated >= \"{JqlTime.Literal(start, ctx.Instance.TimeZone, ctx.Config.LookbackMinutes)}\" ORDER BY updated ASC";
        ctx.Log.Info($"issues: searching {jql}");
        var segmentStart = start;
        DateTimeOffset? segmentEnd = null;
        await foreach (var page in IssueHydration.PagesAsync(ctx, jql, fields, expand, ct).WithCancellation(ct))
        {
            if (await EmitPageAsync(page) is { } max && (segmentEnd is null || max > segmentEnd)) segmentEnd = max;
            if (page.EndsSegment && segmentEnd is { } end)
            {
                await VerifyAsync(segmentStart, end);
                foreach (var m in selected)
                    if (state.Get(m, Bookmarks.Updated) is not { } old || end > old) state.Set(m, Bookmarks.Updated, end);
                segmentStart = end;
                segmentEnd = null;
            }
            await output.StateAsync(ct);
        }
        // A sweep that found nothing still establishes the bookmark, so the next run starts here, not at start_date.
        foreach (var m in selected)
            if (state.Get(m, Bookmarks.Updated) is null) state.Set(m, Bookmarks.Updated, start > signpost ? signpost : start);
        await output.StateAsync(ct);

        if (wantIssues) await IssueReconciler.RunAsync(ctx, ct);
    }

    /// <summary>Emits one page's issues and children in order; returns the newest updated at or before the signpost.</summary>
    private static async Task<DateTimeOffset?> EmitIssuesAsync(TapContext ctx, List<JsonElement> issues, DateTimeOffset extracted, DateTimeOffset signpost,
        bool wantIssues, bool wantComments, bool wantChangelogs, bool wantTransitions, CancellationToken ct)
    {
        var output = ctx.Output;
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
                await output.RecordAsync("issues", record, extracted, ct);
            }
            if (wantComments)
                foreach (var c in children.Comments.GetValueOrDefault(id) ?? Embedded(comment, "comments"))
                    await EmitChildAsync(output, "issue_comments", c, id, extracted, ct);
            if (wantChangelogs)
                foreach (var h in children.Histories.GetValueOrDefault(id) ?? Embedded(changelog, "histories"))
                    await EmitChildAsync(output, "changelogs", h, id, extracted, ct);
            if (wantTransitions && transitions != null)
                foreach (var t in transitions.ToArray())
                {
                    transitions.Remove(t);
                    if (t is JsonObject to) { to["issueId"] = id; await output.RecordAsync("issue_transitions", to, extracted, ct); }
                }
        }
        return pageMax;
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
