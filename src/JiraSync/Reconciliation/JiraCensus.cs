using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using JiraSync.Config;
using JiraSync.Jira;
using JiraSync.Logging;
using JiraSync.Singer;
using JiraSync.Streams;

namespace JiraSync.Reconciliation;

/// <summary>
/// `verify`'s read of Jira (GET and search only, nothing written): the projects in scope, an id-only census
/// (<c>fields=key</c>: Jira's largest pages, up to 5000 issues a request on Cloud) of every issue updated since
/// start_date, and the child totals on each issue (<c>fields=updated,comment,worklog</c>, <c>expand=changelog</c>: about
/// 100 issues a request, the same cost as re-reading issues). An id census is chosen over
/// <c>search/approximate-count</c>: both cost about one request per project for most projects, but only ids say which
/// issues differ, the count is documented as an estimate, and Server/DC lacks it (jira-api-notes.md §3.2, §14.4).
/// </summary>
public static class JiraCensus
{
    /// <summary>Reads the census and the per-issue child totals (<see cref="IssueTally"/>) for the projects and
    /// start_date of <paramref name="config"/>.</summary>
    /// <param name="api">The Jira client (its retries and rate-limit handling apply).</param>
    /// <param name="config">Site, projects, start_date and look-back.</param>
    /// <param name="log">Receives the tap's warnings (a project that cannot be browsed, …).</param>
    /// <param name="state">The destination's Singer state: the issues bookmark becomes <see cref="IssueTally.Cutoff"/>
    /// (issues updated after it changed since the last sync); null for none.</param>
    /// <param name="ct">Cancels the requests.</param>
    /// <exception cref="JiraSync.Errors.JiraSyncException">Jira refused or could not be reached (JiraUnauthorizedException,
    /// JiraForbiddenException, ConnectionException, …; exit code on the exception).</exception>
    public static async Task<IssueTally> ReadAsync(IJiraApi api, JiraSyncConfig config, ILog log, JsonObject? state, CancellationToken ct)
    {
        var instance = await JiraSession.LoadAsync(api, log, ct);
        var output = new TapOutput(Channel.CreateUnbounded<SingerMessage>(), TapState.FromJson(null), new Dictionary<string, StreamPlan>(), log);
        var tally = new IssueTally { Partition = config.Partition };
        var ctx = new TapContext(api, config, log, instance, output) { Tally = tally };
        var tapState = TapState.FromJson(state);
        tally.Cutoff = tapState.Get("issues", Bookmarks.Updated);

        foreach (var p in await ctx.ProjectsAsync(ct))
            if (p.TryGetProperty("key", out var pk) && pk.GetString() is { } projectKey && ctx.InScope(projectKey)) tally.Projects.Add(projectKey);
        tally.ProjectsKnown = true;
        if (config.Partition is not null)
        {
            // One partition of a partitioned sync: its projects' issues against its projects' rows.
            await ctx.ResolveProjectScopeAsync(ct);
            tally.InScope = ctx.InScope;
            tally.NoProjectInScope = ctx.NoProjectInScope;
        }

        var literal = JqlTime.Literal(config.StartDate, instance.TimeZone, config.LookbackMinutes);
        var since = $"updated >= \"{literal}\" ORDER BY id ASC";
        if (!tally.NoProjectInScope)
        {
            var jql = ctx.ProjectClause() + since;
            await foreach (var page in IssueSearch.PagesAsync(ctx, jql, ["key"], "", instance.IsServer ? 1000 : 5000, ct).WithCancellation(ct))
                foreach (var issue in page.Issues)
                    if (Text(issue, "id") is { } id) tally.Census[id] = Text(issue, "key") ?? id;
            tally.CensusComplete = true;
            await ReadTotalsAsync(ctx, tally, jql, ["key", "updated", "comment", "worklog"], "changelog", ct);
        }
        // Partition 1 writes the worklogs of every partition's issues (the feed is site-wide): it checks them all.
        if (config.Partition is { OwnsSiteStreams: true, Count: > 1 })
            await ReadTotalsAsync(ctx, tally, ctx.SiteProjectClause() + since, ["key", "updated", "worklog"], "", ct);
        return tally;
    }

    private static async Task ReadTotalsAsync(TapContext ctx, IssueTally tally, string jql, string[] fieldNames, string expand, CancellationToken ct)
    {
        await foreach (var page in IssueSearch.PagesAsync(ctx, jql, fieldNames, expand, 100, ct).WithCancellation(ct))
            foreach (var issue in page.Issues)
            {
                if (Text(issue, "id") is not { } id) continue;
                var fields = issue.TryGetProperty("fields", out var f) && f.ValueKind == JsonValueKind.Object ? f : default;
                tally.AddTotals(new IssueTotals(id, Text(issue, "key") ?? id,
                    fields.ValueKind == JsonValueKind.Object ? Text(fields, "updated") : null,
                    Total(issue, "changelog"), Total(fields, "comment"), Total(fields, "worklog")));
            }
    }

    /// <summary>GET issue/{id}?fields=key,updated: whether the issue exists for this user, its key and updated.</summary>
    /// <param name="api">The Jira client.</param>
    /// <param name="id">The issue id.</param>
    /// <param name="ct">Cancels the request.</param>
    /// <exception cref="JiraSync.Errors.JiraSyncException">Any error but 404 (which means "does not exist").</exception>
    public static async Task<IssueProbe> ProbeAsync(IJiraApi api, string id, CancellationToken ct)
    {
        try
        {
            var issue = await api.GetAsync($"rest/api/2/issue/{Uri.EscapeDataString(id)}?fields=key,updated", ct);
            var updated = issue.TryGetProperty("fields", out var f) && f.ValueKind == JsonValueKind.Object && SingerTime.TryParse(Text(f, "updated"), out var u) ? u : (DateTimeOffset?)null;
            return new IssueProbe(true, Text(issue, "key"), updated);
        }
        catch (JiraNotFoundException) { return new IssueProbe(false, null, null); }
    }

    private static string? Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static long? Total(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var env) && env.ValueKind == JsonValueKind.Object
        && env.TryGetProperty("total", out var t) && t.ValueKind == JsonValueKind.Number ? t.GetInt64() : null;
}
