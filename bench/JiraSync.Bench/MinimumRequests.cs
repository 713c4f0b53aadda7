namespace JiraSync.Bench;

/// <summary>
/// The fewest requests any client needs to read the same data with Jira's page caps
/// (jira-api-notes.md): serverInfo + myself; project/search (100 a page); one version and one
/// component page per project; project/type, projectCategory, resolution, role; users/search
/// (1000 a page, plus the empty page that ends it); search/jql (100 issues a page with all fields);
/// for each heavy issue its comments (100 a page) and one changelog/bulkfetch per search page holding
/// heavy issues (counted as one per heavy issue); worklog/updated and worklog/list (1000 a page each).
/// Deletion checks are extra work no peer does, so they are not in the minimum.
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
            + 2 * Pages(counts["worklogs"], 1000);
    }
}
