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
    /// Legacy search (offset list with a total) pages of one query, read in slices that stay inside Data Center's search
    /// window (<see cref="SearchWindow"/>; each slice is one <see cref="WindowedOffsetRead"/>): issues already read by an
    /// earlier slice are dropped, every 20th page and the last end a segment. <paramref name="concurrent"/> requests a
    /// slice's pages after the first concurrently (the total is known), yielded in order.
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
        OrderedPageFetch? fetchRest = concurrent ? (positions, fetch, t) => OrderedConcurrency.MapAsync(positions, fetch, ctx.Concurrency, t) : null;
        while (true)
        {
            var read = new WindowedOffsetRead(LegacyPager(pageSize), ctx.Api, LegacyPath(slice?.Query.Jql ?? jql, fields, expand),
                original is null ? int.MaxValue : ctx.SearchWindow.Size);
            JsonElement? lastIssue = null;
            var limitHit = false;
            await using (var pages = read.PagesAsync(fetchRest, ct).GetAsyncEnumerator(ct))
            {
                while (true)
                {
                    try
                    {
                        if (!await pages.MoveNextAsync()) break;
                    }
                    catch (JiraLimitExceededException e) when (original != null && ctx.SearchWindow.Learn(e, read.Read))
                    {
                        ctx.Log.Info($"issues: Jira's search window is {ctx.SearchWindow.Size:N0} results; the search goes on in slices");
                        limitHit = true;
                        break;
                    }
                    var page = pages.Current;
                    lastIssue = page.Items[^1];
                    var fresh = page.Items.Where(i => seen.Add(SearchWindow.Id(i))).ToList();
                    if (fresh.Count == 0) continue;
                    if (pending != null) yield return pending with { EndsSegment = ++pageNumber % PagesPerSegment == 0 };
                    pending = new SearchPage(fresh, page.Received);
                }
            }
            var truncated = limitHit || (original != null && read.ReachedWindow);
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

    /// <summary>The legacy search (Server/DC): an offset list of "issues" with a total (jira-api-notes.md §3.4).</summary>
    private static OffsetListPager LegacyPager(int pageSize) => new("issues", pageSize);

    private static string LegacyPath(string jql, IReadOnlyList<string> fields, string expand) =>
        $"rest/api/2/search?jql={Uri.EscapeDataString(jql)}&fields={Uri.EscapeDataString(string.Join(',', fields))}" +
        (expand.Length > 0 ? $"&expand={Uri.EscapeDataString(expand)}" : "");

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
