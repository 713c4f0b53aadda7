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
    public const string KnownIdsKey = "known_ids";
    public const string KnownSinceKey = "known_since";
    public const string KnownScopeKey = "known_scope";

    /// <summary>Vanished issues looked up one by one before they are marked deleted; past this many, they are marked unseen.</summary>
    public const int MaxProbes = 200;

    /// <summary>The issue's key when GET issue/{id} finds it, null on 404 (deleted, or not visible to this user).</summary>
    public static async Task<string?> StillExistsAsync(TapContext ctx, long id, CancellationToken ct)
    {
        try
        {
            var issue = await ctx.Api.GetAsync($"rest/api/2/issue/{id}?fields=key", ct);
            return issue.TryGetProperty("key", out var k) ? k.GetString() ?? id.ToString(CultureInfo.InvariantCulture) : id.ToString(CultureInfo.InvariantCulture);
        }
        catch (Jira.JiraNotFoundException) { return null; }
    }

    public static async Task RunAsync(TapContext ctx, CancellationToken ct)
    {
        var state = ctx.Output.State;
        // The listing must cover every id remembered: from the earlier of start_date and the start the
        // ids were listed from, within the same projects; otherwise a changed config would look like deletions.
        var since = ctx.Config.StartDate;
        if (state.GetDate("issues", KnownSinceKey) is { } knownSince && knownSince < since) since = knownSince;
        var scope = ctx.ProjectClause();
        var sameScope = (state.GetString("issues", KnownScopeKey) ?? "") == scope;
        var literal = JqlTime.Literal(since, ctx.Instance.TimeZone, ctx.Config.LookbackMinutes);
        var jql = $"{scope}updated >= \"{literal}\" ORDER BY id ASC";
        var current = new HashSet<long>();
        var pageSize = ctx.Instance.IsServer ? 1000 : 5000;
        // "key" costs nothing more than "id" (both get the largest pages) and gives the census its projects.
        var tally = ctx.Tally;
        await foreach (var page in IssueSearch.PagesAsync(ctx, jql, ["key"], "", pageSize, ct).WithCancellation(ct))
            foreach (var issue in page.Issues)
                if (issue.TryGetProperty("id", out var id) && long.TryParse(id.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
                {
                    current.Add(n);
                    if (tally != null) tally.Census[id.GetString()!] = issue.TryGetProperty("key", out var k) && k.GetString() is { } key ? key : id.GetString()!;
                }
        if (tally != null)
        {
            foreach (var p in await ctx.ProjectsAsync(ct))
                if (p.TryGetProperty("key", out var pk) && pk.GetString() is { } projectKey) tally.Projects.Add(projectKey);
            tally.ProjectsKnown = true;
            tally.CensusComplete = true;
        }

        var known = state.GetString("issues", KnownIdsKey);
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
        var probes = 0;
        foreach (var id in IdRangeSet.Decode(known))
        {
            if (current.Contains(id)) continue;
            // Search is eventually consistent (OpenAPI search/jql: "Recent updates might not be immediately visible"):
            // an issue it leaves out may still exist. Looked up before it is marked; kept (and listed again next run) if so.
            if (probes++ < MaxProbes && await StillExistsAsync(ctx, id, ct) is { } key)
            {
                ctx.Log.Warn($"issues: {key} exists in Jira but search does not list it (search lagging behind writes?); not marked deleted");
                current.Add(id);
                continue;
            }
            var record = new JsonObject
            {
                ["id"] = id.ToString(CultureInfo.InvariantCulture),
                ["_sdc_deleted_at"] = SingerTime.Format(deletedAt),
            };
            await ctx.Output.RecordAsync("issues", record, deletedAt, ct);
            deleted++;
        }
        if (deleted > 0) ctx.Log.Info($"issues: {deleted} issue(s) deleted since the last run");
        state.SetBookmark("issues", KnownIdsKey, IdRangeSet.Encode(current));
        state.SetDate("issues", KnownSinceKey, since);
        state.SetBookmark("issues", KnownScopeKey, scope);
        await ctx.Output.StateAsync(ct);
    }
}
