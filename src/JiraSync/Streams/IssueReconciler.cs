using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using JiraSync.Logging;
using JiraSync.Singer;

namespace JiraSync.Streams;

/// <summary>
/// Jira has no feed of deleted issues (peer-connectors.md: no Singer tap notices them). After the
/// sweep, an id-only search lists every issue in scope (updated since start_date: every issue ever
/// emitted is in it while it exists, since "updated" only grows); ids remembered in the bookmark
/// ("known_ids", compact ranges) that are no longer listed are emitted as issues records with
/// _sdc_deleted_at. The new list is remembered for the next run. Id-only pages are cheap (Jira
/// returns up to 5000 ids a page; jira-api-notes.md §3.1).
/// </summary>
public static class IssueReconciler
{
    public static async Task RunAsync(TapContext ctx, CancellationToken ct)
    {
        var state = ctx.Output.State;
        // The listing must cover every id remembered: from the earlier of start_date and the start the
        // ids were listed from, within the same projects; otherwise a changed config would look like deletions.
        var since = ctx.Config.StartDate;
        if (state.Get("issues", Bookmarks.KnownSince) is { } knownSince && knownSince < since) since = knownSince;
        var scope = ctx.ProjectClause();
        var sameScope = (state.Get("issues", Bookmarks.KnownScope) ?? "") == scope;
        var literal = JqlTime.Literal(since, ctx.Instance.TimeZone, ctx.Config.LookbackMinutes);
        var jql = $"{scope}updated >= \"{literal}\" ORDER BY id ASC";
        var current = new HashSet<long>();
        var pageSize = ctx.Instance.IsServer ? 1000 : 5000;
        await foreach (var page in IssueSearch.PagesAsync(ctx, jql, ["id"], "", pageSize, ct).WithCancellation(ct))
            foreach (var issue in page.Issues)
                if (issue.TryGetProperty("id", out var id) && long.TryParse(id.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
                    current.Add(n);

        var known = state.Get("issues", Bookmarks.KnownIds);
        if (known != null && !sameScope)
        {
            ctx.Log.Warn("issues: the projects setting changed since the last run; deletions are not checked this run");
            known = null;
        }
        if (known != null && !IdRangeSet.IsValid(known))
        {
            ctx.Log.Warn("issues: the known_ids bookmark is unreadable; deletions are not checked this run");
            known = null;
        }
        var deletedAt = DateTimeOffset.UtcNow;
        var deleted = 0;
        foreach (var id in IdRangeSet.Decode(known))
        {
            if (current.Contains(id)) continue;
            var record = new JsonObject
            {
                ["id"] = id.ToString(CultureInfo.InvariantCulture),
                ["_sdc_deleted_at"] = SingerTime.Format(deletedAt),
            };
            await ctx.Output.RecordAsync("issues", record, deletedAt, ct);
            deleted++;
        }
        if (deleted > 0) ctx.Log.Info($"issues: {deleted} issue(s) deleted since the last run");
        state.Set("issues", Bookmarks.KnownIds, IdRangeSet.Encode(current));
        state.Set("issues", Bookmarks.KnownSince, since);
        state.Set("issues", Bookmarks.KnownScope, scope);
        await ctx.Output.StateAsync(ct);
    }
}
