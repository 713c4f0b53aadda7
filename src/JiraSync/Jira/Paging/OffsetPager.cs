using System.Runtime.CompilerServices;
using System.Text.Json;

namespace JiraSync.Jira.Paging;

/// <summary>
/// The one loop of every list Jira pages by position (startAt/maxResults). The next startAt advances by the
/// items actually received, since Jira may lower the page size silently; an empty page ends the list whatever
/// else it says (the spec: "assume that the requested page can be empty" as totals move). Each envelope family
/// only says where its items are and when a page is known to be the last.
/// </summary>
internal abstract class OffsetPager : IJiraPager
{
    /// <param name="pageSize">maxResults asked for; Jira may answer fewer.</param>
    protected OffsetPager(int pageSize) =>
        PageSize = pageSize > 0 ? pageSize : throw new ArgumentOutOfRangeException(nameof(pageSize), "page size must be positive");

    /// <summary>maxResults asked for on every request.</summary>
    public int PageSize { get; }

    /// <summary>The page's items; throws <see cref="PageEnvelope.Unexpected"/> when the envelope lacks them.</summary>
    protected abstract List<JsonElement> ItemsOf(JsonElement page, string url);

    /// <summary>Where the items sit when they are copied out of a pooled answer one by one (<see cref="IJiraApi.GetPageAsync"/>:
    /// lists whose pages can be large); null reads the answer whole and asks <see cref="ItemsOf"/>.</summary>
    protected virtual string? PooledItemsKey => null;

    /// <summary>True when the envelope says nothing follows the item at <paramref name="next"/> - 1.</summary>
    protected abstract bool IsLast(JsonElement page, long next);

    public async IAsyncEnumerable<JiraPage> PagesAsync(IJiraApi api, string path, [EnumeratorCancellation] CancellationToken ct)
    {
        long offset = 0;
        while (true)
        {
            var page = await PageAtAsync(api, path, offset, PageSize, ct);
            if (page.Items.Count == 0) yield break;
            offset += page.Items.Count;
            yield return page;
            if (page.IsLast) yield break;
        }
    }

    /// <summary>One page at a given position (random access, e.g. Server/DC search pages read concurrently).</summary>
    public async Task<JiraPage> PageAtAsync(IJiraApi api, string path, long offset, int pageSize, CancellationToken ct)
    {
        var url = PageEnvelope.With(path, $"startAt={offset}&maxResults={pageSize}");
        JsonElement envelope;
        List<JsonElement> items;
        if (PooledItemsKey is { } key) (items, envelope) = await api.GetPageAsync(url, key, ct);
        else
        {
            envelope = await api.GetAsync(url, ct);
            items = ItemsOf(envelope, url);
        }
        return new JiraPage(items, envelope, url, items.Count == 0 || IsLast(envelope, offset + items.Count));
    }
}
