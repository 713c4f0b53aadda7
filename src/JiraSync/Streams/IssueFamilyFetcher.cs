using JiraSync.Jira.Paging;
using System.Text.Json;
using System.Text.Json.Nodes;
using JiraSync.Logging;
using JiraSync.Singer;

namespace JiraSync.Streams;

/// <summary>
/// issues and the streams read from the same search pages: issue_comments, changelogs,
/// issue_transitions (tap-jira's meaning: the transitions available from the issue's current status), the
/// streams declared with <see cref="StreamDefinition.FromParent"/> (issue_links, attachments, sprint_issues: taken
/// from the issue's fields, no request) and those declared with a per-issue path (issue_watchers,
/// issue_remote_links: one request per issue, read by <see cref="DeclaredStreamFetcher.ReadPartAsync"/>).
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
internal static class IssueFamilyFetcher
{
    /// <summary>Every stream the sweep feeds, in registry order.</summary>
    public static readonly string[] Members = StreamRegistry.All.Where(d => d.Fetcher == FetcherKind.IssueFamily).Select(d => d.Name).ToArray();
    private const int VerificationRounds = 3;

    public static async Task SyncAsync(TapContext ctx, CancellationToken ct)
    {
        var output = ctx.Output;
        var state = output.State;
        var selected = Members.Where(output.IsSelected).ToList();
        if (selected.Count == 0) return;
        if (ctx.NoProjectInScope)
        {
            // Nothing to search, and nothing to mark: rows of this partition's projects wait for the project list to name one.
            ctx.Log.Info("issues: no project of this partition is visible; nothing to search");
            if (ctx.Tally is { } empty) empty.NoProjectInScope = true;
            return;
        }
        bool wantIssues = output.IsSelected("issues"), wantComments = output.IsSelected("issue_comments"),
             wantChangelogs = output.IsSelected("changelogs"), wantTransitions = output.IsSelected("issue_transitions");

        var start = selected.Select(m => state.Get(m, Bookmarks.Updated) ?? ctx.Config.StartDate).Min();
        var derived = StreamRegistry.All.Where(d => d.Fetcher == FetcherKind.IssueFamily && output.IsSelected(d.Name) && (d.FromParent != null || d.Path != null)).ToList();
        var fields = wantIssues ? ["*all"] : new[] { "updated" }.Concat(wantComments ? ["comment"] : [])
            .Concat(derived.SelectMany(d => d.ParentFields?.Invoke(ctx) ?? [])).Distinct().ToArray();
        var family = new Family(wantIssues, wantComments, wantChangelogs, wantTransitions, derived,
            derived.ToDictionary(d => d.Name, _ => new HashSet<string>(StringComparer.Ordinal)));
        var expand = string.Join(',', new[] { wantChangelogs ? "changelog" : null, wantTransitions ? "transitions" : null }.Where(e => e != null));
        var signpost = ctx.Instance.ServerTime;
        if (ctx.Tally is { } tally) tally.Cutoff = signpost;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        // Where each issue was last listed: an issue now under another project's key was moved (same id, new key).
        var knownProjects = wantIssues ? IssueReconciler.KnownProjects(state) : null;

        async Task<DateTimeOffset?> EmitPageAsync(SearchPage page)
        {
            var issues = page.Issues.Where(i => seen.Add(Id(i))).ToList();
            return await EmitIssuesAsync(ctx, issues, page.Extracted, signpost, family, knownProjects, ct);
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

        if (wantIssues)
            await IssueReconciler.RunAsync(ctx, seen, async (ids, backInSight) =>
            {
                await foreach (var page in IssueHydration.PagesForIdsAsync(ctx, ids, fields, expand, ct).WithCancellation(ct))
                {
                    await EmitPageAsync(page);
                    await output.StateAsync(ct);
                }
                // The worklog feed will not list their worklogs again either (in a partitioned run only partition 1 writes worklogs).
                await WorklogsFetcher.EmitOfIssuesAsync(ctx, backInSight, ct);
            }, ct);
    }

    /// <summary>Emits one page's issues and children in order; returns the newest updated at or before the signpost.</summary>
    /// <summary>What the sweep emits. <paramref name="Derived"/>: selected members declared with FromParent or a path;
    /// <paramref name="Seen"/>: their keys emitted in this run (a link sits on both its issues' pages).</summary>
    private sealed record Family(bool Issues, bool Comments, bool Changelogs, bool Transitions,
        IReadOnlyList<StreamDefinition> Derived, Dictionary<string, HashSet<string>> Seen);

    private static async Task<DateTimeOffset?> EmitIssuesAsync(TapContext ctx, List<JsonElement> issues, DateTimeOffset extracted, DateTimeOffset signpost,
        Family family, Dictionary<long, string>? knownProjects, CancellationToken ct)
    {
        bool wantIssues = family.Issues, wantComments = family.Comments, wantChangelogs = family.Changelogs, wantTransitions = family.Transitions;
        var output = ctx.Output;
        var children = await FetchChildrenAsync(ctx, issues, wantComments, wantChangelogs, ct);
        var perIssue = await FetchPerIssueAsync(ctx, issues, family.Derived, ct);
        DateTimeOffset? pageMax = null;
        foreach (var issue in issues)
        {
            // The issue and the children re-sent with it reach the output together, with no other unit's message between.
            output.BeginGroup();
            var id = Id(issue);
            var record = DeclaredStreamFetcher.ToRecord(issue);
            var fieldsObj = record["fields"] as JsonObject;
            var updatedText = fieldsObj?["updated"] is JsonValue uv && uv.TryGetValue<string>(out var u) ? u : null;
            // An issue updated after the run started says nothing about where the listing was
            // (its old position is unknown); leaving it out keeps the bookmark behind every unread issue.
            if (SingerTime.TryParse(updatedText, out var updated) && updated <= signpost && (pageMax is null || updated > pageMax)) pageMax = updated;

            var changelog = record["changelog"];
            ctx.Tally?.AddTotals(new IssueTotals(id, (string?)record["key"] ?? id, updatedText,
                wantChangelogs ? Total(changelog) : null, wantComments ? Total(fieldsObj?["comment"]) : null,
                wantIssues && output.IsSelected("worklogs") ? Total(fieldsObj?["worklog"]) : null));
            var transitions = record["transitions"] as JsonArray;
            var comment = fieldsObj?["comment"];
            record.Remove("changelog");
            record.Remove("transitions");
            fieldsObj?.Remove("comment"); // comments are their own stream (tap-jira pops it too)
            if (wantIssues)
            {
                if (updatedText != null) record["updated"] = updatedText;
                if (knownProjects != null && long.TryParse(id, out var numericId) && knownProjects.TryGetValue(numericId, out var was)
                    && (string?)record["key"] is { } key && !string.Equals(IssueKeys.ProjectOf(key), was, StringComparison.OrdinalIgnoreCase))
                {
                    record[RowStatus.Column] = RowStatus.Moved;
                    ctx.Log.Info($"issues: {key} was moved from project {was} (same id {id}); its row now has the new key");
                }
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
            foreach (var def in family.Derived)
            {
                var records = def.FromParent is { } extract ? extract(ctx, issue) : perIssue[def.Name].GetValueOrDefault(id) ?? [];
                var keys = def.KeysFor(ctx.Instance.IsServer);
                foreach (var r in records)
                {
                    r["issueId"] = id;
                    if (!family.Seen[def.Name].Add(string.Join("\u001f", keys.Select(k => r[k]?.ToJsonString())))) continue;
                    await output.RecordAsync(def.Name, r, extracted, ct);
                }
            }
            await output.EndGroupAsync(ct);
        }
        return pageMax;
    }

    /// <summary>The per-issue requests of the selected members declared with a path (watchers, remote links), for one
    /// page of issues, concurrently up to max_concurrency: stream → issue id → records.</summary>
    private static async Task<Dictionary<string, Dictionary<string, IReadOnlyList<JsonObject>>>> FetchPerIssueAsync(TapContext ctx,
        List<JsonElement> issues, IReadOnlyList<StreamDefinition> derived, CancellationToken ct)
    {
        var result = new Dictionary<string, Dictionary<string, IReadOnlyList<JsonObject>>>(StringComparer.Ordinal);
        foreach (var def in derived.Where(d => d.FromParent is null))
        {
            var parts = new Dictionary<string, IReadOnlyList<JsonObject>>(StringComparer.Ordinal);
            await foreach (var (id, part) in OrderedConcurrency.MapAsync(issues,
                               async (issue, t) => (Id(issue), await DeclaredStreamFetcher.ReadPartAsync(ctx, def, new JsonObject { ["id"] = Id(issue) }, t)),
                               ctx.Concurrency, ct).WithCancellation(ct))
                parts[id] = part.Records;
            result[def.Name] = parts;
        }
        return result;
    }

    /// <summary>The <c>total</c> of an embedded PageOf envelope (changelog, fields.comment, fields.worklog).</summary>
    private static long? Total(JsonNode? envelope) =>
        envelope?["total"] is JsonValue v && v.TryGetValue<long>(out var n) ? n : null;

    private static string Id(JsonElement issue) =>
        issue.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString()!
        : throw PageEnvelope.Unexpected("rest/api/2/search/jql", "an issue without a string \"id\"");

    private static IEnumerable<JsonNode?> Embedded(JsonNode? envelope, string name) =>
        envelope?[name] is JsonArray arr ? arr.ToArray().Select(n => { arr.Remove(n); return n; }) : [];

    private static async Task EmitChildAsync(TapOutput output, string stream, object item, string issueId, DateTimeOffset extracted, CancellationToken ct)
    {
        var record = item switch
        {
            JsonElement e => DeclaredStreamFetcher.ToRecord(e),
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
