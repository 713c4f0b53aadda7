namespace JiraSync.Runs;

/// <summary>
/// Where run history lives: `_jirasync_runs` and `_jirasync_run_streams` in the destination itself (DuckDB,
/// PostgreSQL) or two JSON-lines files in a `jsonl:` folder. Writes are upserts keyed by run id (and stream), so
/// a run is saved when it starts, after each stream, and when it ends. Separate from the loader's data tables and
/// `_jirasync_state`.
/// </summary>
public interface IRunStore : IAsyncDisposable
{
    /// <summary>Where the store is, for messages: "duckdb:/path/file.duckdb".</summary>
    string Description { get; }

    /// <summary>The folder next to the destination holding the per-run extraction logs.</summary>
    string LogDirectory { get; }

    Task SaveRunAsync(RunRecord run, CancellationToken ct = default);
    Task SaveStreamAsync(RunStreamRecord stream, CancellationToken ct = default);

    /// <summary>Runs newest first; <paramref name="since"/> limits to runs started at or after it.</summary>
    Task<IReadOnlyList<RunRecord>> ListRunsAsync(int limit, DateTimeOffset? since = null, CancellationToken ct = default);
    Task<RunRecord?> GetRunAsync(string runId, CancellationToken ct = default);
    /// <summary>Stream rows of the given runs, in run then stream order.</summary>
    Task<IReadOnlyList<RunStreamRecord>> ListStreamsAsync(IReadOnlyCollection<string> runIds, CancellationToken ct = default);

    /// <summary>Replaces a run's reconciliation rows (`_jirasync_reconciliation`).</summary>
    Task SaveReconciliationAsync(Reconciliation.ReconciliationReport report, CancellationToken ct = default);
    /// <summary>Reconciliation rows of the given runs, in run, table, scope order.</summary>
    Task<IReadOnlyList<Reconciliation.ReconciliationRow>> ListReconciliationAsync(IReadOnlyCollection<string> runIds, CancellationToken ct = default);
}
