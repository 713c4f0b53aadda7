using JiraSync.Logging;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using JiraSync.Jira;

namespace JiraSync.Streams;

/// <summary>One page of search results and when it was read. <paramref name="EndsSegment"/> marks a point
/// where the sweep may verify and commit its bookmark (every few thousand issues, and the last page).</summary>
public sealed record SearchPage(IReadOnlyList<JsonElement> Issues, DateTimeOffset Extracted, bool EndsSegment = false);

/// <summary>
/// Issue search, page by page: Cloud's enhanced search (POST search/jql, nextPageToken, absent on the
/// last page; jira-api-notes.md §3.1) or, on Server/DC (or when search/jql answers 404, as tap-jira
/// 2.6 falls back), the legacy search with startAt/total (§3.4). Pages are fetched one ahead of the
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
        var legacy = ctx.Instance.IsServer;
        string? token = null;
        var startAt = 0;
        var pageNumber = 0;
        while (true)
        {
            JsonElement page;
            string where;
            if (!legacy)
            {
                var body = new JsonObject
                {
                    ["jql"] = jql,
                    ["maxResults"] = pageSize,
                    ["fields"] = new JsonArray(fields.Select(f => (JsonNode)f).ToArray()),
                };
                if (expand.Length > 0) body["expand"] = expand;
                if (token != null) body["nextPageToken"] = token;
                where = "rest/api/2/search/jql";
                try { page = await ctx.Api.PostAsync(where, body, ct); }
                catch (JiraNotFoundException) when (token == null)
                {
                    ctx.Log.Warn("search/jql is not available here; using the legacy search endpoint");
                    legacy = true;
                    continue;
                }
            }
            else
            {
                where = $"rest/api/2/search?jql={Uri.EscapeDataString(jql)}&startAt={startAt}&maxResults={pageSize}" +
                        $"&fields={Uri.EscapeDataString(string.Join(',', fields))}" +
                        (expand.Length > 0 ? $"&expand={Uri.EscapeDataString(expand)}" : "");
                page = await ctx.Api.GetAsync(where, ct);
            }
            var extracted = DateTimeOffset.UtcNow;
            var issues = JiraPaging.ArrayProperty(page, "issues", where).EnumerateArray().ToList();
            bool last;
            if (!legacy)
            {
                token = page.TryGetProperty("nextPageToken", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                last = token == null || (page.TryGetProperty("isLast", out var il) && il.ValueKind == JsonValueKind.True);
            }
            else
            {
                startAt += issues.Count;
                last = issues.Count == 0 ||
                       (page.TryGetProperty("total", out var total) && total.ValueKind == JsonValueKind.Number && startAt >= total.GetInt64());
            }
            pageNumber++;
            if (issues.Count > 0) yield return new SearchPage(issues, extracted, last || pageNumber % PagesPerSegment == 0);
            if (last) yield break;
        }
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
