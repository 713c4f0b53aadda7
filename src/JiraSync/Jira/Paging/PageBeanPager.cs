using System.Text.Json;

namespace JiraSync.Jira.Paging;

/// <summary>
/// PageBean (jira-api-notes.md §1): <c>startAt</c>, <c>maxResults</c>, <c>total</c>, <c>isLast</c>, items in
/// <c>values</c> (project/search, project/{id}/version, group/member, issue/{id}/changelog, statuses/search…).
/// The last page is the one saying <c>isLast: true</c>; where isLast is missing ("not returned for all
/// operations") the newest <c>total</c> decides, and without either the list ends on an empty page.
/// </summary>
internal sealed class PageBeanPager(int pageSize) : OffsetPager(pageSize)
{
    protected override List<JsonElement> ItemsOf(JsonElement page, string url) => PageEnvelope.Items(page, "values", url);

    protected override bool IsLast(JsonElement page, long next) =>
        PageEnvelope.Bool(page, "isLast") ?? (PageEnvelope.Long(page, "total") is { } total && next >= total);
}
