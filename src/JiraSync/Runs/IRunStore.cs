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

    /// <summary>Saves the run; a later save with the same id supersedes it. Creates the tables (or files) on first
    /// use; database and file-system errors propagate.</summary>
    /// <param name="run">The run as it stands now.</param>
    /// <param name="ct">Cancels the write.</param>
    Task SaveRunAsync(RunRecord run, CancellationToken ct = default);
    /// <summary>Saves the stream's row of its run; a later save for the same run and stream supersedes it.</summary>
    /// <param name="stream">The stream's figures.</param>
    /// <param name="ct">Cancels the write.</param>
    Task SaveStreamAsync(RunStreamRecord stream, CancellationToken ct = default);

    /// <summary>Runs newest first; <paramref name="since"/> limits to runs started at or after it.</summary>
    /// <param name="limit">At most this many runs.</param>
    /// <param name="since">Earliest start time to include; null for all.</param>
    /// <param name="ct">Cancels the read.</param>
    Task<IReadOnlyList<RunRecord>> ListRunsAsync(int limit, DateTimeOffset? since = null, CancellationToken ct = default);
    /// <summary>One run by id, or null when the store has none by that id.</summary>
    /// <param name="runId">A run id as shown by `runs`.</param>
    /// <param name="ct">Cancels the read.</param>
    Task<RunRecord?> GetRunAsync(string runId, CancellationToken ct = default);
    /// <summary>Stream rows of the given runs, in run then stream order.</summary>
    /// <param name="runIds">The runs whose rows to read.</param>
    /// <param name="ct">Cancels the read.</param>
    Task<IReadOnlyList<RunStreamRecord>> ListStreamsAsync(IReadOnlyCollection<string> runIds, CancellationToken ct = default);

    /// <summary>Replaces a run's reconciliation rows (`_jirasync_reconciliation`).</summary>
    /// <param name="report">The run id and its rows.</param>
    /// <param name="ct">Cancels the write.</param>
    Task SaveReconciliationAsync(Reconciliation.ReconciliationReport report, CancellationToken ct = default);
    /// <summary>Reconciliation rows of the given runs, in run, table, scope order.</summary>
    /// <param name="runIds">The runs whose rows to read.</param>
    /// <param name="ct">Cancels the read.</param>
    Task<IReadOnlyList<Reconciliation.ReconciliationRow>> ListReconciliationAsync(IReadOnlyCollection<string> runIds, CancellationToken ct = default);
}
