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
public sealed record SearchPage(IReadOnlyList<JsonElement> Issues, DateTimeOffset Extracted, bool EndsSegment = false);

/// <summary>
/// Issue search, page by page: Cloud's enhanced search (POST search/jql, nextPageToken, absent on the
/// last page; jira-api-notes.md §3.1) or, on Server/DC (or when search/jql answers 404, as tap-jira
/// 2.6 falls back), the legacy search, an offset list with a total (§3.4). Pages are fetched one ahead of the
/// consumer so the next search overlaps the current page's child requests.
/// </summary>
public static class IssueSearch
{
    /// <summary>Search pages between two segment ends when pages are read directly (Server/DC).</summary>
    public const int PagesPerSegment = 20;

    public static IAsyncEnumerable<SearchPage> PagesAsync(TapContext ctx, string jql, IReadOnlyList<string> fields,
        string expand, int pageSize, CancellationToken ct) =>
        Prefetch(Raw(ctx, jql, fields, expand, pageSize, ct), ct);

    private static async IAsyncEnumerable<SearchPage> Raw(TapContext ctx, string jql, IReadOnlyList<string> fields,
        string expand, int pageSize, [EnumeratorCancellation] CancellationToken ct)
    {
        var pages = ctx.Instance.IsServer
            ? LegacyPager(pageSize).PagesAsync(ctx.Api, LegacyPath(jql, fields, expand), ct)
            : EnhancedOr404Legacy(ctx, jql, fields, expand, pageSize, ct);
        var pageNumber = 0;
        await foreach (var page in pages.WithCancellation(ct))
        {
            pageNumber++;
            yield return new SearchPage(page.Items, DateTimeOffset.UtcNow, page.IsLast || pageNumber % PagesPerSegment == 0);
        }
    }

    /// <summary>Enhanced search pages; a 404 on the first page (no search/jql here) switches to the legacy search.</summary>
    private static async IAsyncEnumerable<JiraPage> EnhancedOr404Legacy(TapContext ctx, string jql, IReadOnlyList<string> fields,
        string expand, int pageSize, [EnumeratorCancellation] CancellationToken ct)
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
        var fallBack = false;
        await using (var pages = enhanced.PagesAsync(ctx.Api, "rest/api/2/search/jql", ct).GetAsyncEnumerator(ct))
        {
            var any = false;
            try { any = await pages.MoveNextAsync(); }
            catch (JiraNotFoundException)
            {
                ctx.Log.Warn("search/jql is not available here; using the legacy search endpoint");
                fallBack = true;
            }
            if (any)
                do yield return pages.Current; while (await pages.MoveNextAsync());
        }
        if (!fallBack) yield break;
        await foreach (var page in LegacyPager(pageSize).PagesAsync(ctx.Api, LegacyPath(jql, fields, expand), ct).WithCancellation(ct))
            yield return page;
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
