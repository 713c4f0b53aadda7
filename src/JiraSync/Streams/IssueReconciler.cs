using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using JiraSync.Config;
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
internal static class IssueReconciler
{
    /// <summary>The project each remembered issue id was last listed under (empty for state from before it was kept).</summary>
    public static Dictionary<long, string> KnownProjects(TapState state)
    {
        var map = new Dictionary<long, string>();
        foreach (var (project, ranges) in state.Get("issues", Bookmarks.KnownProjects))
            if (IdRangeSet.IsValid(ranges))
                foreach (var id in IdRangeSet.Decode(ranges)) map[id] = project;
        return map;
    }

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

    /// <summary>Lists the issues in scope, marks the remembered ones no longer listed (with their <see cref="RowStatus"/>),
    /// and has <paramref name="reread"/> read again the listed issues the sweep did not read that were not listed last run
    /// (an issue whose project became visible again, was restored, or that search had not listed yet: its row, if any, is
    /// marked and its <c>updated</c> may be older than the bookmark), before the new list is remembered.</summary>
    /// <param name="ctx">The run.</param>
    /// <param name="swept">Ids of the issues the sweep read in this run.</param>
    /// <param name="reread">Reads and emits the first list's issues with the whole family (as the sweep does), and the
    /// second list's worklogs (issues back in sight, whose worklog rows the feed will not list again).</param>
    /// <param name="ct">Cancels the run.</param>
    public static async Task RunAsync(TapContext ctx, IReadOnlySet<string> swept, Func<IReadOnlyList<string>, IReadOnlyList<string>, Task> reread, CancellationToken ct)
    {
        var state = ctx.Output.State;
        // The listing must cover every id remembered: from the earlier of start_date and the start the
        // ids were listed from, within the same projects; otherwise a changed config would look like deletions.
        var since = ctx.Config.StartDate;
        if (state.Get("issues", Bookmarks.KnownSince) is { } knownSince && knownSince < since) since = knownSince;
        var scope = ctx.ScopeId();
        var sameScope = (state.Get("issues", Bookmarks.KnownScope) ?? "") == scope;
        var literal = JqlTime.Literal(since, ctx.Instance.TimeZone, ctx.Config.LookbackMinutes);
        var jql = $"{ctx.ProjectClause()}updated >= \"{literal}\" ORDER BY id ASC";
        var current = new HashSet<long>();
        var currentProjects = new Dictionary<long, string>();
        var pageSize = ctx.Instance.IsServer ? 1000 : 5000;
        // "key" costs nothing more than "id" (both get the largest pages) and gives the census its projects.
        var tally = ctx.Tally;
        await foreach (var page in IssueSearch.PagesAsync(ctx, jql, ["key"], "", pageSize, ct).WithCancellation(ct))
            foreach (var issue in page.Issues)
                if (issue.TryGetProperty("id", out var id) && long.TryParse(id.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
                {
                    current.Add(n);
                    if (issue.TryGetProperty("key", out var ik) && ik.GetString() is { } issueKey) currentProjects[n] = IssueKeys.ProjectOf(issueKey);
                    if (tally != null) tally.Census[id.GetString()!] = issue.TryGetProperty("key", out var k) && k.GetString() is { } key ? key : id.GetString()!;
                }
        if (tally != null)
        {
            tally.CensusComplete = true;
            tally.InScope = ctx.InScope;
            try
            {
                foreach (var p in await ctx.ProjectsAsync(ct))
                    if (p.TryGetProperty("key", out var pk) && pk.GetString() is { } projectKey && ctx.InScope(projectKey)) tally.Projects.Add(projectKey);
                tally.ProjectsKnown = true;
            }
            catch (Exception e) when (e is Jira.JiraRequestException or Errors.JiraSyncException)
            {
                ctx.Log.Warn($"issues: the project list could not be read for the reconciliation ({e.Message})");
            }
        }

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
        var knownProjects = KnownProjects(state);
        var vanished = IdRangeSet.Decode(known).Where(id => !current.Contains(id)).ToList();
        var kept = new Dictionary<long, string?>();
        ProjectRoster? roster = null;
        if (vanished.Count > 0)
        {
            try { roster = await ProjectRoster.ReadAsync(ctx, ct); }
            catch (Exception e) when (e is Jira.JiraRequestException or Errors.JiraSyncException)
            {
                // Without the project list a lost permission would look like mass deletion: mark nothing, check again next run.
                ctx.Log.Warn($"issues: the project list could not be read ({e.Message}); {vanished.Count} issue(s) search no longer lists are not marked this run");
                foreach (var id in vanished) kept[id] = knownProjects.GetValueOrDefault(id);
                vanished.Clear();
            }
        }
        var deletedAt = DateTimeOffset.UtcNow;
        var unseenText = state.Get("issues", Bookmarks.UnseenIds);
        var unseen = unseenText != null && IdRangeSet.IsValid(unseenText) ? IdRangeSet.Decode(unseenText).ToHashSet() : [];
        var outOfSight = new HashSet<long>();
        var marked = new Dictionary<string, int>(StringComparer.Ordinal);
        var probes = 0;
        foreach (var id in vanished)
        {
            var project = knownProjects.GetValueOrDefault(id);
            var status = project is null ? null : roster!.RowStatusFor(project);
            if (status is null && probes++ < MaxProbes && await StillExistsAsync(ctx, id, ct) is { } key)
            {
                if (project != null && !string.Equals(IssueKeys.ProjectOf(key), project, StringComparison.OrdinalIgnoreCase))
                {
                    if (ctx.Config.Partition is { } partition && ctx.Config.InSite(IssueKeys.ProjectOf(key)))
                    {
                        // Moved into another partition's project: that partition loads it under its new key; its row is not ours to mark.
                        ctx.Log.Info($"issues: {key} moved from project {project} to a project of partition {ProjectPartition.Of(IssueKeys.ProjectOf(key), partition.Count)}/{partition.Count}, which loads it");
                        continue;
                    }
                    status = RowStatus.Moved; // moved to a project outside the configured ones: same id, new key
                }
                else
                {
                    // Search is eventually consistent (OpenAPI search/jql: "Recent updates might not be immediately visible").
                    ctx.Log.Warn($"issues: {key} exists in Jira but search does not list it (search lagging behind writes?); not marked deleted");
                    kept[id] = project;
                    continue;
                }
            }
            status ??= RowStatus.Deleted;
            var record = new JsonObject
            {
                ["id"] = id.ToString(CultureInfo.InvariantCulture),
                ["_sdc_deleted_at"] = SingerTime.Format(deletedAt),
                [RowStatus.Column] = status,
            };
            await ctx.Output.RecordAsync("issues", record, deletedAt, ct);
            if (status is RowStatus.NoAccess or RowStatus.Archived) outOfSight.Add(id);
            ctx.Tally?.Marked.TryAdd(id.ToString(CultureInfo.InvariantCulture), status);
            marked[status] = marked.GetValueOrDefault(status) + 1;
        }
        foreach (var (status, count) in marked.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            ctx.Log.Info($"issues: {count} issue(s) no longer listed by search marked {status}" + status switch
            {
                RowStatus.NoAccess => " (their project is in no project list of this user)",
                RowStatus.Archived => " (their project was archived)",
                RowStatus.Moved => " (moved to a project outside the configured ones)",
                _ => "",
            });

        // Listed now, not read by the sweep and not listed last run: read them again, so a row marked no_access or archived
        // (or never loaded) comes back live with its children. Before the new list is remembered: a run killed in between
        // still finds them new next time.
        var back = current.Where(unseen.Contains).ToHashSet();
        var knownIds = known is null ? null : IdRangeSet.Decode(known).ToHashSet();
        static string Text(long id) => id.ToString(CultureInfo.InvariantCulture);
        var returned = current.Where(id => (back.Contains(id) || (knownIds != null && !knownIds.Contains(id))) && !swept.Contains(Text(id)))
            .Order().Select(Text).ToList();
        if (returned.Count > 0 || back.Count > 0)
        {
            if (returned.Count > 0)
                ctx.Log.Info($"issues: {returned.Count} issue(s) search lists again (project visible again, restored, or listed late) are read again");
            await reread(returned, back.Order().Select(Text).ToList());
        }
        unseen.ExceptWith(current);
        unseen.UnionWith(outOfSight);
        if (unseen.Count > 0) state.Set("issues", Bookmarks.UnseenIds, IdRangeSet.Encode(unseen));
        else if (unseenText != null) state.Clear("issues", Bookmarks.UnseenIds);

        // Remembered for the next run: what search lists now, by project, plus what was kept unmarked.
        foreach (var (id, project) in kept) { current.Add(id); if (project != null) currentProjects[id] = project; }
        state.Set("issues", Bookmarks.KnownIds, IdRangeSet.Encode(current));
        state.Set("issues", Bookmarks.KnownProjects, currentProjects.GroupBy(kv => kv.Value, StringComparer.OrdinalIgnoreCase)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => KeyValuePair.Create(g.Key, IdRangeSet.Encode(g.Select(kv => kv.Key)))));
        state.Set("issues", Bookmarks.KnownSince, since);
        state.Set("issues", Bookmarks.KnownScope, scope);
        await ctx.Output.StateAsync(ct);
    }
}
