using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using JiraSync.Jira;
using JiraSync.Jira.Paging;

namespace JiraSync.Streams;

/// <summary>
/// The issue pages of a sweep. Enhanced search pages are strictly sequential (a nextPageToken per
/// page) and capped near 100 issues when all fields are asked for, so on Cloud the sweep follows the
/// pattern Atlassian recommends for bulk reads (jira-api-notes.md §3.1/§3.3): page the matching ids
/// (id-only pages hold up to 5000, in the query's updated order), then read the issues 100 at a time
/// through POST issue/bulkfetch, those requests running concurrently up to max_concurrency and
/// yielded in the listing's order. Server/DC keeps the legacy search pages.
/// </summary>
internal static class IssueHydration
{
    public const int IdPageSize = 5000;
    public const int BulkFetchMax = 100;

    public static IAsyncEnumerable<SearchPage> PagesAsync(TapContext ctx, string jql, IReadOnlyList<string> fields, string expand, CancellationToken ct) =>
        ctx.Instance.IsServer
            ? LegacyConcurrentAsync(ctx, jql, fields, expand, ct)
            : HydratedAsync(ctx, jql, fields, expand, ct);

    /// <summary>Server/DC: the legacy search has random access (by position) and a total, so after the first
    /// page the others are requested concurrently, yielded in order; every 20th page ends a segment. Kept inside
    /// Data Center's search window by slicing (<see cref="SearchWindow"/>).</summary>
    private static IAsyncEnumerable<SearchPage> LegacyConcurrentAsync(TapContext ctx, string jql, IReadOnlyList<string> fields, string expand,
        CancellationToken ct) =>
        IssueSearch.LegacySlicedAsync(ctx, jql, fields, expand, ctx.PageSize, concurrent: true, ct);

    private static async IAsyncEnumerable<SearchPage> HydratedAsync(TapContext ctx, string jql, IReadOnlyList<string> fields, string expand,
        [EnumeratorCancellation] CancellationToken ct)
    {
        // Each id page (up to 5000 issues) is one segment: its last hydrated page ends it.
        await foreach (var idPage in IssueSearch.PagesAsync(ctx, jql, ["id"], "", IdPageSize, ct).WithCancellation(ct))
        {
            SearchPage? pending = null;
            await foreach (var page in PagesForIdsAsync(ctx, idPage.Issues.Select(i => i.GetProperty("id").GetString()!).ToList(), fields, expand, ct).WithCancellation(ct))
            {
                if (pending != null) yield return pending;
                pending = page;
            }
            if (pending != null) yield return pending with { EndsSegment = true };
        }
    }

    /// <summary>The given issues, up to 100 a request (<see cref="GuidedChunks"/>), concurrently, in the given order: issue/bulkfetch on Cloud,
    /// a search for "id in (…)" on Server/DC or where bulkfetch is missing.</summary>
    public static async IAsyncEnumerable<SearchPage> PagesForIdsAsync(TapContext ctx, IReadOnlyList<string> ids, IReadOnlyList<string> fields,
        string expand, [EnumeratorCancellation] CancellationToken ct)
    {
        var chunkSize = Math.Min(BulkFetchMax, ctx.PageSize);
        var useBulkFetch = !ctx.Instance.IsServer;
        await foreach (var page in OrderedConcurrency.MapAsync(GuidedChunks(ids, chunkSize, ctx.Concurrency), async (chunk, t) =>
                       {
                           if (useBulkFetch)
                           {
                               try { return await BulkFetchAsync(ctx, chunk, fields, expand, t); }
                               catch (JiraNotFoundException) { useBulkFetch = false; }
                           }
                           return await SearchByIdsAsync(ctx, chunk, fields, expand, t);
                       }, ctx.Concurrency, ct).WithCancellation(ct))
            yield return page;
    }

    /// <summary>
    /// Splits <paramref name="ids"/> into requests of <paramref name="max"/> while there is more left than
    /// <paramref name="slots"/> full requests, then of a <paramref name="slots"/>-th of what is left (at least a quarter
    /// of <paramref name="max"/>): guided self-scheduling. Full requests keep the request count near the minimum; the
    /// shrinking last ones end together instead of leaving one 100-issue page (about 1 s at 30 ms + 0.5 ms/KiB) running
    /// alone while the other slots have nothing to do. The last request takes what is left when that is under the least
    /// size, so no request is tiny.
    /// </summary>
    internal static IEnumerable<string[]> GuidedChunks(IReadOnlyList<string> ids, int max, int slots)
    {
        max = Math.Max(1, max);
        var least = Math.Max(1, max / 4);
        for (var at = 0; at < ids.Count;)
        {
            var left = ids.Count - at;
            var size = Math.Clamp((left + slots - 1) / Math.Max(1, slots), least, max);
            if (left - size < least && left <= max) size = left;
            yield return ids.Skip(at).Take(Math.Min(size, left)).ToArray();
            at += size;
        }
    }

    private static async Task<SearchPage> BulkFetchAsync(TapContext ctx, string[] ids, IReadOnlyList<string> fields, string expand, CancellationToken ct)
    {
        RequestPriority.MarkBulk();
        var body = new JsonObject
        {
            ["issueIdsOrKeys"] = new JsonArray(ids.Select(i => (JsonNode)i).ToArray()),
            ["fields"] = new JsonArray(fields.Select(f => (JsonNode)f).ToArray()),
            ["expand"] = new JsonArray(expand.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(e => (JsonNode)e).ToArray()),
        };
        var (issues, _) = await ctx.Api.PostPageAsync("rest/api/2/issue/bulkfetch", body, "issues", ct);
        return new SearchPage(InListOrder(ids, issues), DateTimeOffset.UtcNow);
    }

    /// <summary>Fallback where issue/bulkfetch is missing: one search page for "id in (…)".</summary>
    private static async Task<SearchPage> SearchByIdsAsync(TapContext ctx, string[] ids, IReadOnlyList<string> fields, string expand, CancellationToken ct)
    {
        RequestPriority.MarkBulk();
        var issues = new List<JsonElement>();
        var jql = $"{ctx.ProjectClause()}id in ({string.Join(",", ids)}) ORDER BY updated ASC";
        await foreach (var page in IssueSearch.PagesAsync(ctx, jql, fields, expand, ids.Length, ct).WithCancellation(ct))
            issues.AddRange(page.Issues);
        return new SearchPage(InListOrder(ids, issues), DateTimeOffset.UtcNow);
    }

    /// <summary>bulkfetch answers in ascending id order; the sweep wants the listing's (updated) order.
    /// Issues deleted since the listing are simply absent (the next run's reconciliation reports them).</summary>
    private static List<JsonElement> InListOrder(string[] ids, List<JsonElement> issues)
    {
        var byId = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var i in issues)
            if (i.TryGetProperty("id", out var id) && id.GetString() is { } s) byId[s] = i;
        return ids.Where(byId.ContainsKey).Select(id => byId[id]).ToList();
    }
}
