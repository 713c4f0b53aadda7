namespace JiraSync.Simulator.Rendering;

/// <summary>How much of an issue's children to embed: enhanced search embeds the newest 40 histories,
/// 20 comments and 20 worklogs; GET issue and legacy search embed 100 histories
/// (JRACLOUD-96459, pycontribs/jira#911, pycontribs/jira#363; see docs/simulator.md).</summary>
public sealed record IssueExpand(bool Changelog, bool Names, bool Schema, bool RenderedFields, bool Transitions,
    int HistoryCap, int CommentCap, int WorklogCap)
{
    /// <summary>False for search responses, which carry `names` once at the top instead of in every issue.</summary>
    public bool NamesInIssue { get; init; } = true;

    public static IssueExpand Parse(IEnumerable<string?>? values, int historyCap, int commentCap = 20, int worklogCap = 20)
    {
        var set = (values ?? []).Where(v => v is not null)
            .SelectMany(v => v!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        return new IssueExpand(set.Contains("changelog"), set.Contains("names"), set.Contains("schema"),
            set.Contains("renderedFields"), set.Contains("transitions"), historyCap, commentCap, worklogCap);
    }
}
