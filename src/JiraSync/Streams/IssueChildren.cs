using System.Text.Json;
using System.Text.Json.Nodes;
using JiraSync.Jira;
using JiraSync.Jira.Paging;
using JiraSync.Logging;

namespace JiraSync.Streams;

/// <summary>
/// Completes what search embeds in an issue: comments (Cloud's enhanced search embeds at most 20)
/// and changelog histories (at most 40 on Cloud, 100 on Server; jira-api-notes.md §4). When the
/// embedded total says more exist, the whole collection is read from its own endpoint: histories
/// through changelog/bulkfetch on Cloud (up to 1000 issues a request) or issue/{id}/changelog,
/// comments through issue/{id}/comment. Requests for one page of issues run concurrently.
/// </summary>
internal static class IssueChildren
{
    public const int BulkFetchMaxIssues = 1000;

    /// <summary>True when the embedded PageOf envelope is missing or holds fewer items than its total.</summary>
    public static bool IsIncomplete(JsonElement? envelope, string arrayName)
    {
        if (envelope is not { ValueKind: JsonValueKind.Object } e) return true;
        if (!e.TryGetProperty(arrayName, out var arr) || arr.ValueKind != JsonValueKind.Array) return true;
        return e.TryGetProperty("total", out var total) && total.ValueKind == JsonValueKind.Number && total.GetInt64() > arr.GetArrayLength();
    }

    /// <summary>Every comment of an issue, oldest first. A 404 (issue deleted meanwhile) gives null: keep what search embedded.</summary>
    public static async Task<List<JsonElement>?> CommentsAsync(TapContext ctx, string issueId, CancellationToken ct)
    {
        try
        {
            return await new OffsetListPager("comments", 100).ListAsync(ctx.Api, $"rest/api/2/issue/{issueId}/comment?orderBy=created", ct);
        }
        catch (JiraNotFoundException)
        {
            ctx.Log.Warn($"issue {issueId}: comments answered 404 (deleted during the run?); keeping the embedded ones");
            return null;
        }
    }

    /// <summary>Every history of an issue through issue/{id}/changelog (PageBean, oldest first).</summary>
    public static async Task<List<JsonElement>?> ChangelogAsync(TapContext ctx, string issueId, CancellationToken ct)
    {
        try
        {
            return await new PageBeanPager(100).ListAsync(ctx.Api, $"rest/api/2/issue/{issueId}/changelog", ct);
        }
        catch (JiraNotFoundException)
        {
            ctx.Log.Warn($"issue {issueId}: changelog answered 404 (deleted during the run?); keeping the embedded histories");
            return null;
        }
    }

    /// <summary>Histories of many issues through POST changelog/bulkfetch (Cloud), following nextPageToken.
    /// Returns null when the endpoint is not there (the caller falls back to per-issue requests).</summary>
    public static async Task<Dictionary<string, List<JsonElement>>?> BulkChangelogsAsync(TapContext ctx,
        IReadOnlyList<string> issueIds, CancellationToken ct)
    {
        var result = issueIds.ToDictionary(id => id, _ => new List<JsonElement>());
        foreach (var chunk in issueIds.Chunk(BulkFetchMaxIssues))
        {
            var pager = new TokenPager("issueChangeLogs")
            {
                Body = token =>
                {
                    var body = new JsonObject
                    {
                        ["issueIdsOrKeys"] = new JsonArray(chunk.Select(id => (JsonNode)id).ToArray()),
                        ["maxResults"] = 10000,
                    };
                    if (token != null) body["nextPageToken"] = token;
                    return body;
                },
            };
            await using var pages = pager.PagesAsync(ctx.Api, "rest/api/2/changelog/bulkfetch", ct).GetAsyncEnumerator(ct);
            var first = true;
            while (true)
            {
                try { if (!await pages.MoveNextAsync()) break; }
                catch (JiraNotFoundException) when (first) { return null; }
                first = false;
                foreach (var entry in pages.Current.Items)
                {
                    var id = entry.TryGetProperty("issueId", out var i) ? (i.ValueKind == JsonValueKind.Number ? i.GetRawText() : i.GetString()) : null;
                    if (id == null || !result.TryGetValue(id, out var list)) continue;
                    if (entry.TryGetProperty("changeHistories", out var h) && h.ValueKind == JsonValueKind.Array) list.AddRange(h.EnumerateArray());
                }
            }
        }
        return result;
    }
}
