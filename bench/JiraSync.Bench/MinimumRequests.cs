namespace JiraSync.Bench;

/// <summary>
/// The fewest requests any client needs to read the same data with Jira's page caps
/// (jira-api-notes.md): serverInfo + myself; project/search (100 a page); one version and one
/// component page per project; project/type, projectCategory, resolution, role; users/search
/// (1000 a page, plus the empty page that ends it); search/jql (100 issues a page with all fields);
/// for each heavy issue its comments (100 a page) and one changelog/bulkfetch per search page holding
/// heavy issues (counted as one per heavy issue); worklog/updated and worklog/list (1000 a page each).
/// Deletion checks are extra work no peer does, so they are not in the minimum.
/// Issue 8's streams: status, statuscategory, priority, issuetype, field, issueLinkType (one each); per field
/// with options one context page and one option page per context (one context each here); label (1000 a
/// page), filter/search and project... (100), group/bulk and group/member (50 a page), agile board (50 a
/// page) and one sprint page per board that is not Kanban; links, attachments and sprint membership cost
/// nothing (they are in the issue pages); with the per-issue streams selected, 2 per issue.
/// </summary>
public static class MinimumRequests
{
    private static int Pages(int items, int perPage) => Math.Max(1, (items + perPage - 1) / perPage);

    public static int Compute(IReadOnlyDictionary<string, int> counts, BenchOptions o)
    {
        var projects = counts["projects"];
        var heavy = counts.GetValueOrDefault("heavy_issues");
        return 2
            + Pages(projects, 100) + 2 * projects + 4
            + Pages(counts["users"], 1000) + 1
            + Pages(counts["issues"], 100)
            + heavy * (Pages(120, 100) + 1)
            + 2 * Pages(counts["worklogs"], 1000)
            + 6 + 2 * counts["option_fields"] + Pages(counts["labels"], 1000) + Pages(counts["filters"], 100)
            + Pages(counts["groups"], 50) + counts["group_member_pages"] + Pages(counts["all_boards"], 50) + counts["sprint_boards"]
            + (o.AllStreams ? 2 * counts["issues"] : 0);
    }
}
