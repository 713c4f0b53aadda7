using System.Runtime.CompilerServices;

namespace JiraSync.Jira.Paging;

/// <summary>Where one page of an offset list starts and how many items it asks for.</summary>
/// <param name="Offset">Position of the page's first item in the list (Jira's <c>startAt</c>), from 0.</param>
/// <param name="Size">Items asked for (Jira's <c>maxResults</c>).</param>
public readonly record struct PagePosition(long Offset, int Size);

/// <summary>Fetches planned pages, possibly several at once, and yields them in the order of <paramref name="positions"/>.</summary>
/// <param name="positions">The pages to read, in list order.</param>
/// <param name="fetch">Reads one page; may be called concurrently.</param>
/// <param name="ct">Cancels the reads.</param>
public delegate IAsyncEnumerable<JiraPage> OrderedPageFetch(IReadOnlyList<PagePosition> positions,
    Func<PagePosition, CancellationToken, Task<JiraPage>> fetch, CancellationToken ct);

/// <summary>
/// One read of an offset list that must not reach past <see cref="Window"/> items: Data Center's legacy search answers
/// 500 "Search limit exceeded" to a page whose startAt + maxResults passes the search platform's max_result_window
/// (Atlassian KB "Handling JQL REST API searching exceeding max_result_window in Jira"). The first page is read alone:
/// it tells the total and the page size Jira really serves. The rest are planned from it as positions that each end
/// inside the window, so a caller may fetch them concurrently (<see cref="OrderedPageFetch"/>). An empty page ends the
/// read (items deleted meanwhile). Afterwards <see cref="ReachedWindow"/> says whether items were left beyond the window,
/// for the caller to narrow its query and read again. Not thread-safe: one enumeration at a time.
/// </summary>
internal sealed class WindowedOffsetRead
{
    private readonly OffsetPager _pager;
    private readonly IJiraApi _api;
    private readonly string _path;

    /// <param name="pager">The list's envelope family and the page size asked for.</param>
    /// <param name="api">Where to send the requests.</param>
    /// <param name="path">The list's path and query, without position parameters.</param>
    /// <param name="window">Items one read may reach (position + page size); <see cref="int.MaxValue"/> for no limit.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="window"/> is not positive.</exception>
    public WindowedOffsetRead(OffsetPager pager, IJiraApi api, string path, int window)
    {
        _pager = pager;
        _api = api;
        _path = path;
        Window = window > 0 ? window : throw new ArgumentOutOfRangeException(nameof(window), "window must be positive");
    }

    /// <summary>Items one read may reach.</summary>
    public int Window { get; }

    /// <summary>The total the first page reported (or its item count when it reported none); 0 before it arrives.</summary>
    public long Total { get; private set; }

    /// <summary>Items received so far, in pages already yielded.</summary>
    public int Read { get; private set; }

    /// <summary>True when the read ended at the window with items left beyond it (the total exceeds what was read).</summary>
    public bool ReachedWindow => Total > Read && Read >= Math.Min(Total, Window);

    /// <summary>The non-empty pages of the read, in list order.</summary>
    /// <param name="fetchRest">How the pages after the first are fetched; null: one after another.</param>
    /// <param name="ct">Cancels the reads.</param>
    /// <exception cref="JiraRequestException">an error status (e.g. <see cref="JiraLimitExceededException"/> when the
    /// window is smaller than assumed), or an answer without the documented shape.</exception>
    public async IAsyncEnumerable<JiraPage> PagesAsync(OrderedPageFetch? fetchRest, [EnumeratorCancellation] CancellationToken ct)
    {
        var first = await _pager.PageAtAsync(_api, _path, 0, Math.Min(_pager.PageSize, Window), ct);
        var stride = first.Items.Count;
        Total = PageEnvelope.Long(first.Envelope, "total") ?? stride;
        Read = stride;
        if (stride == 0) yield break;
        yield return first;
        var reach = (int)Math.Min(Total, Window);
        if (stride >= reach) yield break;
        var positions = new List<PagePosition>();
        for (var at = stride; at < reach; at += stride) positions.Add(new PagePosition(at, Math.Min(stride, Window - at)));
        Task<JiraPage> Fetch(PagePosition p, CancellationToken t) => _pager.PageAtAsync(_api, _path, p.Offset, p.Size, t);
        var rest = fetchRest is null ? OneAfterAnother(positions, Fetch, ct) : fetchRest(positions, Fetch, ct);
        await foreach (var page in rest.WithCancellation(ct))
        {
            if (page.Items.Count == 0) yield break;
            Read += page.Items.Count;
            yield return page;
        }
    }

    private static async IAsyncEnumerable<JiraPage> OneAfterAnother(IReadOnlyList<PagePosition> positions,
        Func<PagePosition, CancellationToken, Task<JiraPage>> fetch, [EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var p in positions) yield return await fetch(p, ct);
    }
}
