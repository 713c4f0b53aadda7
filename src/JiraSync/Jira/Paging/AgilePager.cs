using System.Text.Json;

namespace JiraSync.Jira.Paging;

/// <summary>
/// Jira Software's pages (/rest/agile/1.0 board, board/{id}/sprint, …; jira-software-openapi.json):
/// <c>startAt</c>, <c>maxResults</c>, <c>isLast</c>, items in <c>values</c>, and a <c>total</c> that
/// board/{id}/sprint leaves out. Only <c>isLast</c> is trusted; without it the list ends on an empty page.
/// </summary>
internal sealed class AgilePager(int pageSize = AgilePager.MaxPageSize) : OffsetPager(pageSize)
{
    /// <summary>Jira Software's default and usual cap for maxResults.</summary>
    public const int MaxPageSize = 50;

    protected override List<JsonElement> ItemsOf(JsonElement page, string url) => PageEnvelope.Items(page, "values", url);

    protected override bool IsLast(JsonElement page, long next) => PageEnvelope.Bool(page, "isLast") ?? false;
}
