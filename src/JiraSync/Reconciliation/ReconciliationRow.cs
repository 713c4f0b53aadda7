namespace JiraSync.Reconciliation;

/// <summary>
/// One row of `_jirasync_reconciliation`: for one table (and, for issues, one project; "*" = the whole table), Jira's
/// count against the destination's live rows (<c>_sdc_deleted_at</c> null), the verdict and why.
/// </summary>
/// <param name="RunId">The run that checked (<c>verify</c> for the command).</param>
/// <param name="Table">The destination table (tap-jira stream name: issues, changelogs, issue_comments, worklogs).</param>
/// <param name="Scope">A project key for issues, "*" for a table's total.</param>
/// <param name="JiraCount">What Jira reports: the census of issues, or the sum of the totals on the issues checked.</param>
/// <param name="RowCount">Live rows in the destination for the same scope.</param>
/// <param name="Verdict">How the counts compare.</param>
/// <param name="Note">One line: what differs and why (empty on a match).</param>
/// <param name="AffectedKeys">Issue keys (or ids where the key is unknown) behind a difference; at most
/// <see cref="Reconciler.MaxAffectedKeys"/>.</param>
/// <param name="CheckedAt">When the comparison was made (UTC).</param>
public sealed record ReconciliationRow(string RunId, string Table, string Scope, long JiraCount, long RowCount,
    ReconciliationVerdict Verdict, string Note, IReadOnlyList<string> AffectedKeys, DateTimeOffset CheckedAt);

/// <summary>A run's reconciliation: its rows and the run's verdict (the worst of them).</summary>
/// <param name="RunId">The run reconciled.</param>
/// <param name="Rows">One row per table and scope.</param>
public sealed record ReconciliationReport(string RunId, IReadOnlyList<ReconciliationRow> Rows)
{
    /// <summary>The worst verdict of <see cref="Rows"/>; <see cref="ReconciliationVerdict.Match"/> without rows.</summary>
    public ReconciliationVerdict Verdict => Rows.Count == 0 ? ReconciliationVerdict.Match : Rows.Max(r => r.Verdict);
}
