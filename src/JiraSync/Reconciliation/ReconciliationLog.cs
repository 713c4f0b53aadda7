using JiraSync.Logging;
using JiraSync.Streams;

namespace JiraSync.Reconciliation;

/// <summary>The reconciliation in a run's log: one line for the run, then one per table that does not match
/// (a warning when unexplained).</summary>
public static class ReconciliationLog
{
    /// <summary>One line for the run, then one per table that does not match.</summary>
    /// <param name="log">Where the lines go (Info; Warn for an unexplained difference).</param>
    /// <param name="report">The reconciliation to log.</param>
    public static void Log(ILog log, ReconciliationReport report)
    {
        var totals = report.Rows.Where(r => r.Scope == "*").ToList();
        log.Info($"reconciliation: {report.Verdict.ToText()} ({string.Join(", ", totals.Select(r => $"{r.Table} {r.Verdict.ToText()}"))})");
        foreach (var r in report.Rows.Where(r => r.Verdict != ReconciliationVerdict.Match && (r.Scope != "*" || r.Table != "issues")))
        {
            var line = $"reconciliation: {(r.Scope == "*" ? r.Table : r.Table + " " + r.Scope)}: Jira {r.JiraCount}, rows {r.RowCount}, {r.Verdict.ToText()}: {r.Note}" +
                       (r.AffectedKeys.Count > 0 ? $" [{string.Join(", ", r.AffectedKeys)}]" : "");
            if (r.Verdict == ReconciliationVerdict.Unexplained) log.Warn(line); else log.Info(line);
        }
    }

    /// <summary>A sync's closing step: reconciles the counts the run's <paramref name="tally"/> collected with the rows
    /// now in <paramref name="dest"/> (looking up disagreeing issues through <paramref name="api"/>), stores the result
    /// with <paramref name="save"/> and logs it. A reconciliation that cannot finish is a warning, never a failed run:
    /// the rows are committed.</summary>
    /// <param name="runId">The sync's run id.</param>
    /// <param name="tally">Counts the sync collected from the pages it read.</param>
    /// <param name="dest">The destination the sync loaded.</param>
    /// <param name="api">The Jira client, for the GET issue/{id} look-ups.</param>
    /// <param name="save">Stores the report (the run store's <c>SaveReconciliationAsync</c>).</param>
    /// <param name="log">The run's log.</param>
    /// <param name="ct">Cancellation; the only error that propagates.</param>
    /// <returns>The report, or null when it could not finish.</returns>
    public static async Task<ReconciliationReport?> AfterSyncAsync(string runId, IssueTally tally, Loading.IDestination dest, Jira.IJiraApi api,
        Func<ReconciliationReport, CancellationToken, Task> save, ILog log, CancellationToken ct)
    {
        try
        {
            var report = await Reconciler.RunAsync(tally, dest, (id, t) => JiraCensus.ProbeAsync(api, id, t),
                new Reconciler.Options(runId, AfterSync: false, DateTimeOffset.UtcNow), ct);
            await save(report, ct);
            Log(log, report);
            return report;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.Warn($"reconciliation not finished: {(e is Errors.JiraSyncException j ? j.Message : e.GetType().Name + ": " + e.Message)}");
            return null;
        }
    }
}
