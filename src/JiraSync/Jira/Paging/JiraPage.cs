using System.Text.Json;

namespace JiraSync.Jira.Paging;

/// <summary>One page of a paged Jira list.</summary>
/// <param name="Items">The page's items, in Jira's order (never empty: pagers do not yield empty pages).</param>
/// <param name="Envelope">The whole answer (for fields a caller needs besides the items, e.g. names).</param>
/// <param name="Url">The request that answered it (path and query relative to the base URL).</param>
/// <param name="IsLast">True when the pager knows no page follows; false may still turn out to be the last
/// (an offset list that ends on an empty page).</param>
public sealed record JiraPage(IReadOnlyList<JsonElement> Items, JsonElement Envelope, string Url, bool IsLast)
{
    /// <summary>When the answer arrived (UTC): the extraction time of its items, even when a page fetched
    /// ahead is consumed later.</summary>
    public DateTimeOffset Received { get; init; } = DateTimeOffset.UtcNow;
}

/// <summary>One way Jira pages a list (jira-api-notes.md §1). Implementations hold one loop each and never
/// stop on the page size: Jira lowers maxResults silently ("if the returned value of maxResults is less than
/// the requested value, the returned value is the maximum"), so a short page is not the last.</summary>
internal interface IJiraPager
{
    /// <summary>The non-empty pages of the list at <paramref name="path"/>, in order.</summary>
    /// <exception cref="JiraRequestException">an error status, or a 200 answer without the documented shape.</exception>
    IAsyncEnumerable<JiraPage> PagesAsync(IJiraApi api, string path, CancellationToken ct);
}

/// <summary>Flattening helpers over pagers.</summary>
internal static class JiraPagerExtensions
{
    /// <summary>Every item of every page, in order.</summary>
    public static async IAsyncEnumerable<JsonElement> ItemsAsync(this IJiraPager pager, IJiraApi api, string path,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        await foreach (var page in pager.PagesAsync(api, path, ct).WithCancellation(ct))
            foreach (var item in page.Items) yield return item;
    }

    /// <summary>Every item, collected.</summary>
    public static async Task<List<JsonElement>> ListAsync(this IJiraPager pager, IJiraApi api, string path, CancellationToken ct = default)
    {
        var list = new List<JsonElement>();
        await foreach (var item in pager.ItemsAsync(api, path, ct).WithCancellation(ct)) list.Add(item);
        return list;
    }
}
