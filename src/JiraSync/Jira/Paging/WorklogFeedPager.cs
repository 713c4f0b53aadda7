using System.Runtime.CompilerServices;
using System.Text.Json;

namespace JiraSync.Jira.Paging;

/// <summary>One entry of a worklog feed: the worklog's id and when it changed (epoch ms).</summary>
internal readonly record struct WorklogFeedEntry(string? Id, long? UpdatedTime);

/// <summary>One page of a worklog feed.</summary>
/// <param name="Entries">The page's worklog ids with their change times, oldest first.</param>
/// <param name="Since">The since (epoch ms) it was asked for.</param>
/// <param name="Until">The youngest change it covers (Jira's <c>until</c>, else the newest updatedTime, else since).</param>
/// <param name="Stalled">Every entry shares one millisecond and more follow at it: the feed cannot page past
/// that instant (the next page would be this one again). The pager goes on at Until + 1; the caller completes
/// the instant another way before reading on.</param>
/// <param name="IsLast">Jira said lastPage: the feed has nothing newer for now.</param>
/// <param name="ResumeFrom">The since from which the feed goes on after this page: a bookmark.</param>
/// <param name="Url">The request path that produced the page (for messages).</param>
internal sealed record WorklogFeedPage(IReadOnlyList<WorklogFeedEntry> Entries, long Since, long Until, bool Stalled, bool IsLast,
    long ResumeFrom, string Url);

/// <summary>
/// The worklog feeds, worklog/updated and worklog/deleted (jira-api-notes.md §5): <c>since</c> (epoch ms),
/// <c>until</c>, <c>nextPage</c> (a URL), <c>lastPage</c>, ids in <c>values</c>, 1000 a page, oldest first.
/// Jira's nextPage is followed (made relative to the base URL), else since=until. The next page is requested
/// while the caller handles the current one: the feed is sequential, its consumer need not be.
/// Empty pages are yielded too, since each one still moves the bookmark.
/// </summary>
/// <param name="baseUrl">The site's base URL, to turn Jira's absolute nextPage into a relative path.</param>
internal sealed class WorklogFeedPager(Uri baseUrl)
{
    public async IAsyncEnumerable<WorklogFeedPage> PagesAsync(IJiraApi api, string feed, long since,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var url = $"{feed}?since={since}";
        Task<JsonElement>? prefetched = null;
        try
        {
            while (true)
            {
                var page = prefetched != null ? await prefetched : await api.GetAsync(url, ct);
                prefetched = null;
                var entries = PageEnvelope.Items(page, "values", url)
                    .Select(v => new WorklogFeedEntry(IdText(v, "worklogId"), PageEnvelope.Long(v, "updatedTime"))).ToList();
                var until = PageEnvelope.Long(page, "until") ?? entries.Select(e => e.UpdatedTime).Max() ?? since;
                var last = PageEnvelope.Bool(page, "lastPage") == true || entries.Count == 0;
                var next = last ? null : NextUrl(page, feed, until);
                var stalled = next == url;
                if (stalled) next = $"{feed}?since={until + 1}";
                if (next != null) prefetched = api.GetAsync(next, ct);
                yield return new WorklogFeedPage(entries, since, until, stalled, last, stalled ? until + 1 : until, url);
                if (next == null) yield break;
                since = stalled ? until + 1 : until;
                url = next;
            }
        }
        finally
        {
            // A consumer that stopped early (or failed) leaves the read-ahead running: observe it, quietly.
            if (prefetched != null)
                try { await prefetched; } catch { /* the consumer's own outcome is the one reported */ }
        }
    }

    private string NextUrl(JsonElement page, string feed, long until)
    {
        if (PageEnvelope.String(page, "nextPage") is { } np && Uri.TryCreate(np, UriKind.Absolute, out var abs))
        {
            var basePath = baseUrl.AbsolutePath.TrimEnd('/') + "/";
            var path = abs.PathAndQuery;
            // Jira may name another API version in nextPage ("api/~ver~" in the spec's example): match the feed's own name.
            var name = feed[Math.Max(0, feed.LastIndexOf("worklog/", StringComparison.Ordinal))..];
            if (path.StartsWith(basePath, StringComparison.Ordinal) && path.Contains(name, StringComparison.Ordinal))
                return path[basePath.Length..];
        }
        return $"{feed}?since={until}";
    }

    /// <summary>An id that Jira writes as a number or a string.</summary>
    public static string? IdText(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.Number => v.GetRawText(),
            JsonValueKind.String => v.GetString(),
            _ => null,
        } : null;
}
