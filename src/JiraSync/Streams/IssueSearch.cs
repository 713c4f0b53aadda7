using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using JiraSync.Jira;
using JiraSync.Jira.Paging;
using JiraSync.Logging;

namespace JiraSync.Streams;

/// <summary>One page of search results and when it was read. <paramref name="EndsSegment"/> marks a point
/// where the sweep may verify and commit its bookmark (every few thousand issues, and the last page).</summary>
internal sealed record SearchPage(IReadOnlyList<JsonElement> Issues, DateTimeOffset Extracted, bool EndsSegment = false);

/// <summary>
/// Issue search, page by page: Cloud's enhanced search (POST search/jql, nextPageToken, absent on the
/// last page; jira-api-notes.md §3.1) or, on Server/DC (or when search/jql answers 404, as tap-jira
/// 2.6 falls back), the legacy search, an offset list with a total (§3.4). Pages are fetched one ahead of the
/// consumer so the next search overlaps the current page's child requests.
/// </summary>
internal static class IssueSearch
{
    /// <summary>Search pages between two segment ends when pages are read directly (Server/DC).</summary>
    public const int PagesPerSegment = 20;

    public static IAsyncEnumerable<SearchPage> PagesAsync(TapContext ctx, string jql, IReadOnlyList<string> fields,
        string expand, int pageSize, CancellationToken ct) =>
        Prefetch(Raw(ctx, jql, fields, expand, pageSize, ct), ct);

    private static async IAsyncEnumerable<SearchPage> Raw(TapContext ctx, string jql, IReadOnlyList<string> fields,
        string expand, int pageSize, [EnumeratorCancellation] CancellationToken ct)
    {
        if (!ctx.Instance.IsServer)
        {
            var pageNumber = 0;
            var fellBack = false;
            await foreach (var page in EnhancedOr404Legacy(ctx, jql, fields, expand, pageSize, () => fellBack = true, ct).WithCancellation(ct))
            {
                pageNumber++;
                yield return new SearchPage(page.Items, DateTimeOffset.UtcNow, page.IsLast || pageNumber % PagesPerSegment == 0);
            }
            if (!fellBack) yield break;
        }
        await foreach (var page in LegacySlicedAsync(ctx, jql, fields, expand, pageSize, concurrent: false, ct).WithCancellation(ct))
            yield return page;
    }

    /// <summary>Enhanced search pages; a 404 on the first page (no search/jql here) calls <paramref name="fallBackToLegacy"/>
    /// and ends, so the caller reads the legacy search (sliced to Data Center's window) instead.</summary>
    private static async IAsyncEnumerable<JiraPage> EnhancedOr404Legacy(TapContext ctx, string jql, IReadOnlyList<string> fields,
        string expand, int pageSize, Action fallBackToLegacy, [EnumeratorCancellation] CancellationToken ct)
    {
        var enhanced = new TokenPager("issues")
        {
            Body = token =>
            {
                var body = new JsonObject
                {
                    ["jql"] = jql,
                    ["maxResults"] = pageSize,
                    ["fields"] = new JsonArray(fields.Select(f => (JsonNode)f).ToArray()),
                };
                if (expand.Length > 0) body["expand"] = expand;
                if (token != null) body["nextPageToken"] = token;
                return body;
            },
        };
        await using (var pages = enhanced.PagesAsync(ctx.Api, "rest/api/2/search/jql", ct).GetAsyncEnumerator(ct))
        {
            var any = false;
            try { any = await pages.MoveNextAsync(); }
            catch (JiraNotFoundException)
            {
                ctx.Log.Warn("search/jql is not available here; using the legacy search endpoint");
                fallBackToLegacy();
            }
            if (any)
                do yield return pages.Current; while (await pages.MoveNextAsync());
        }
    }

    /// <summary>
    /// Legacy search (startAt/total) pages of one query, read in slices that stay inside Data Center's search window
    /// (<see cref="SearchWindow"/>): issues already read by an earlier slice are dropped, every 20th page and the last
    /// end a segment. <paramref name="concurrent"/> requests a slice's pages after the first concurrently (the total is
    /// known), yielded in order.
    /// </summary>
    public static async IAsyncEnumerable<SearchPage> LegacySlicedAsync(TapContext ctx, string jql, IReadOnlyList<string> fields,
        string expand, int pageSize, bool concurrent, [EnumeratorCancellation] CancellationToken ct)
    {
        var original = SearchWindow.Query.Parse(jql);
        // Slicing by updated needs each issue's updated, even in an id-only listing.
        if (original?.OrderKey == "updated" && !fields.Any(f => f is "updated" or "*all" or "*navigable")) fields = [.. fields, "updated"];
        var slice = original is null ? null : new SearchWindow.Slice(original);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pageNumber = 0;
        SearchPage? pending = null; // held back one page, so the very last can be marked as ending a segment
        while (true)
        {
            var window = original is null ? int.MaxValue : ctx.SearchWindow.Size;
            var progress = new SliceProgress();
            JsonElement? lastIssue = null;
            var limitHit = false;
            await using (var pages = SliceAsync(ctx, slice?.Query.Jql ?? jql, fields, expand, pageSize, window, concurrent, progress, ct).GetAsyncEnumerator(ct))
            {
                while (true)
                {
                    try
                    {
                        if (!await pages.MoveNextAsync()) break;
                    }
                    catch (JiraLimitExceededException e) when (original != null && ctx.SearchWindow.Learn(e, progress.Read))
                    {
                        ctx.Log.Info($"issues: Jira's search window is {ctx.SearchWindow.Size:N0} results; the search goes on in slices");
                        limitHit = true;
                        break;
                    }
                    var page = pages.Current;
                    if (page.Issues.Count > 0) lastIssue = page.Issues[^1];
                    var fresh = page.Issues.Where(i => seen.Add(SearchWindow.Id(i))).ToList();
                    if (fresh.Count == 0) continue;
                    if (pending != null) yield return pending with { EndsSegment = ++pageNumber % PagesPerSegment == 0 };
                    pending = page with { Issues = fresh };
                }
            }
            var truncated = limitHit || (original != null && progress.Total > progress.Read && progress.Read >= Math.Min(progress.Total, window));
            if (!truncated)
            {
                if (slice?.MinuteEnd is not null) { slice = SearchWindow.AfterMinute(original!, slice); continue; }
                break;
            }
            if (lastIssue is null) continue; // the window shrank before anything was read: the same slice, smaller
            slice = SearchWindow.Next(original!, slice!, lastIssue.Value, ctx.Instance.TimeZone);
            ctx.Log.Debug($"issues: the search reached the window of {ctx.SearchWindow.Size:N0} results; continuing with {slice.Query.Jql}");
        }
        if (pending != null) yield return pending with { EndsSegment = true };
    }

    private sealed class SliceProgress
    {
        public long Total;
        public int Read;
    }

    /// <summary>One slice: pages from startAt 0 while startAt + maxResults stays within <paramref name="window"/>.</summary>
    private static async IAsyncEnumerable<SearchPage> SliceAsync(TapContext ctx, string jql, IReadOnlyList<string> fields, string expand,
        int pageSize, int window, bool concurrent, SliceProgress progress, [EnumeratorCancellation] CancellationToken ct)
    {
        var (first, total) = await LegacyPageAsync(ctx, jql, fields, expand, 0, Math.Min(pageSize, window), ct);
        var stride = first.Issues.Count;
        progress.Total = total;
        progress.Read = stride;
        yield return first;
        var reach = (int)Math.Min(total, window);
        if (stride == 0 || stride >= reach) yield break;
        var offsets = new List<(int StartAt, int Size)>();
        for (var at = stride; at < reach; at += stride) offsets.Add((at, Math.Min(stride, window - at)));
        if (concurrent)
        {
            await foreach (var page in OrderedConcurrency.MapAsync(offsets,
                               async (o, t) => (await LegacyPageAsync(ctx, jql, fields, expand, o.StartAt, o.Size, t)).Page, ctx.Concurrency, ct).WithCancellation(ct))
            {
                progress.Read += page.Issues.Count;
                yield return page;
                if (page.Issues.Count == 0) yield break;
            }
            yield break;
        }
        foreach (var (startAt, size) in offsets)
        {
            var (page, _) = await LegacyPageAsync(ctx, jql, fields, expand, startAt, size, ct);
            progress.Read += page.Issues.Count;
            yield return page;
            if (page.Issues.Count == 0) yield break;
        }
    }

    /// <summary>The legacy search (Server/DC): an offset list of "issues" with a total (jira-api-notes.md §3.4).</summary>
    private static OffsetListPager LegacyPager(int pageSize) => new("issues", pageSize);

    private static string LegacyPath(string jql, IReadOnlyList<string> fields, string expand) =>
        $"rest/api/2/search?jql={Uri.EscapeDataString(jql)}&fields={Uri.EscapeDataString(string.Join(',', fields))}" +
        (expand.Length > 0 ? $"&expand={Uri.EscapeDataString(expand)}" : "");

    /// <summary>One legacy search page (Server/DC) at a position, with the total Jira reported.</summary>
    public static async Task<(SearchPage Page, long Total)> LegacyPageAsync(TapContext ctx, string jql, IReadOnlyList<string> fields,
        string expand, int offset, int pageSize, CancellationToken ct)
    {
        var page = await LegacyPager(pageSize).PageAtAsync(ctx.Api, LegacyPath(jql, fields, expand), offset, pageSize, ct);
        var total = OffsetListPager.Total(page) ?? offset + page.Items.Count;
        return (new SearchPage(page.Items, DateTimeOffset.UtcNow), total);
    }

    /// <summary>Reads the source one item ahead on a background task (bounded: one page waits at most).</summary>
    private static async IAsyncEnumerable<T> Prefetch<T>(IAsyncEnumerable<T> source, [EnumeratorCancellation] CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var channel = Channel.CreateBounded<T>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        var producer = Task.Run(async () =>
        {
            try
            {
                await foreach (var item in source.WithCancellation(cts.Token)) await channel.Writer.WriteAsync(item, cts.Token);
                channel.Writer.TryComplete();
            }
            catch (Exception ex) { channel.Writer.TryComplete(ex); }
        }, CancellationToken.None);
        try
        {
            await foreach (var item in channel.Reader.ReadAllAsync(ct)) yield return item;
        }
        finally
        {
            cts.Cancel();
            await producer;
        }
    }
}
