using System.Collections.Concurrent;

namespace JiraSync.Streams;

/// <summary>
/// What Jira itself said about the issues during one run, for the reconciliation: the census (every issue id
/// the user can see in scope, with its key, from an id-only search) and, per issue, the totals Jira reports on the
/// issue for its changelog, comments and worklogs. `sync` fills it from the pages it reads anyway (no extra
/// requests); `verify` fills it through the census of `verify`. Thread-safe: the sweep fills it concurrently.
/// </summary>
public sealed class IssueTally
{
    /// <summary>Census: issue id → key, as the id-only listing returned them. Empty until <see cref="CensusComplete"/>.</summary>
    internal ConcurrentDictionary<string, string> Census { get; } = new(StringComparer.Ordinal);

    /// <summary>True once a whole census listing was read (a failed or skipped listing leaves the issues table unchecked).</summary>
    internal bool CensusComplete { get; set; }

    /// <summary>Keys of the projects in scope that the user can browse (so a project with no issues still gets a row).</summary>
    public HashSet<string> Projects { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Which projects' rows the run answers for (a partitioned or project-limited sync shares its destination
    /// with other syncs): the reconciliation leaves other projects' rows alone. Null: every project.</summary>
    public Func<string, bool>? InScope { get; set; }

    /// <summary>The partition the run syncs (null: not partitioned). Partition 1 writes every configured project's worklogs,
    /// so it checks worklogs against every issue's rows; the other partitions write none and check none.</summary>
    internal Config.ProjectPartition? Partition { get; set; }

    /// <summary>True when the run's partition owns none of the visible projects: no issue was listed, and the issues
    /// reconciliation says so.</summary>
    internal bool NoProjectInScope { get; set; }

    /// <summary>True once <see cref="Projects"/> was read.</summary>
    internal bool ProjectsKnown { get; set; }

    /// <summary>Issues Jira reports as updated at or after this instant may legitimately be ahead of the rows: the run's
    /// start on Jira's clock for `sync`, the issues bookmark for `verify`.</summary>
    internal DateTimeOffset? Cutoff { get; set; }

    /// <summary>Per issue id, the child totals Jira reported on the issue when it was read.</summary>
    internal ConcurrentDictionary<string, IssueTotals> Totals { get; } = new(StringComparer.Ordinal);

    /// <summary>Issue ids the run took out of the live set, with their <see cref="Singer.RowStatus"/>.</summary>
    internal ConcurrentDictionary<string, string> Marked { get; } = new(StringComparer.Ordinal);

    internal void AddTotals(IssueTotals t) => Totals.AddOrUpdate(t.Id, t, (_, old) => old.Merge(t));
}

/// <summary>Jira's own counts for one issue: changelog <c>total</c>, <c>fields.comment.total</c>, <c>fields.worklog.total</c>
/// (null when not read), and the issue's <c>updated</c> as Jira wrote it (jira-api-notes.md §4).</summary>
internal sealed record IssueTotals(string Id, string Key, string? Updated, long? Changelogs, long? Comments, long? Worklogs)
{
    internal IssueTotals Merge(IssueTotals newer) => newer with
    {
        Changelogs = newer.Changelogs ?? Changelogs,
        Comments = newer.Comments ?? Comments,
        Worklogs = newer.Worklogs ?? Worklogs,
    };

    /// <summary>The total Jira reports for a child stream, or null when it was not read.</summary>
    internal long? For(string stream) => stream switch
    {
        "changelogs" => Changelogs,
        "issue_comments" => Comments,
        "worklogs" => Worklogs,
        _ => null,
    };
}

/// <summary>Issue keys: "ENG-12" is issue 12 of project ENG.</summary>
internal static class IssueKeys
{
    /// <summary>An issue key's project: the part before the last '-' ("ENG-12" → "ENG"; "?" without one).</summary>
    public static string ProjectOf(string key)
    {
        var dash = key.LastIndexOf('-');
        return dash > 0 ? key[..dash] : "?";
    }
}
