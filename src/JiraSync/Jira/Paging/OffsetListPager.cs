using System.Text.Json;

namespace JiraSync.Jira.Paging;

/// <summary>
/// The older offset lists ("PageOf…" and the legacy search; jira-api-notes.md §1): <c>startAt</c>,
/// <c>maxResults</c>, <c>total</c>, items under their own key (<c>comments</c>, <c>worklogs</c>,
/// <c>histories</c>, <c>issues</c>), no <c>isLast</c>. The newest <c>total</c> decides (it may change
/// between pages); without one the list ends on an empty page.
/// </summary>
/// <param name="itemsKey">Where the items sit, e.g. "comments".</param>
/// <param name="pageSize">maxResults asked per page.</param>
internal sealed class OffsetListPager(string itemsKey, int pageSize) : OffsetPager(pageSize)
{
    public string ItemsKey { get; } = itemsKey;

    protected override List<JsonElement> ItemsOf(JsonElement page, string url) => PageEnvelope.Items(page, ItemsKey, url);

    // The legacy search's issue pages are MBs.
    protected override string? PooledItemsKey => ItemsKey;

    protected override bool IsLast(JsonElement page, long next) => PageEnvelope.Long(page, "total") is { } total && next >= total;

    /// <summary>The total an answer reports, or null.</summary>
    public static long? Total(JiraPage page) => PageEnvelope.Long(page.Envelope, "total");
}
