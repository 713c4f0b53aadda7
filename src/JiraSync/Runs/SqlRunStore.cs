using System.Data.Common;

namespace JiraSync.Runs;

/// <summary>
/// The run-history tables in a SQL destination. DuckDB and PostgreSQL accept the same SQL here (positional $n
/// parameters, INSERT … ON CONFLICT DO UPDATE), so only opening a connection, naming the tables and the timestamp
/// type differ between them.
/// </summary>
internal abstract class SqlRunStore : IRunStore
{
    public const string RunsTable = "_jirasync_runs";
    public const string StreamsTable = "_jirasync_run_streams";
    public const string ReconciliationTable = "_jirasync_reconciliation";

    private readonly SemaphoreSlim _ensure = new(1, 1);
    private bool _created;

    public abstract string Description { get; }
    public abstract string LogDirectory { get; }

    protected abstract Task<DbConnection> OpenAsync(CancellationToken ct);
    /// <summary>A table name as it appears in SQL (schema-qualified and quoted where needed).</summary>
    protected abstract string Table(string name);
    /// <summary>Column type for instants: both are stored in UTC.</summary>
    protected abstract string TimestampType { get; }

    private string Runs => Table(RunsTable);
    private string Streams => Table(StreamsTable);
    private string Reconciliation => Table(ReconciliationTable);

    protected virtual string CreateSchemaSql => "";

    private async Task EnsureCreatedAsync(DbConnection c, CancellationToken ct)
    {
        if (_created) return;
        await _ensure.WaitAsync(ct);
        try
        {
            if (_created) return;
            var ts = TimestampType;
            await ExecAsync(c, ct, CreateSchemaSql + $"""
                CREATE TABLE IF NOT EXISTS {Runs} (
                  run_id VARCHAR PRIMARY KEY, started_at {ts} NOT NULL, finished_at {ts}, status VARCHAR NOT NULL,
                  error VARCHAR, config_fingerprint VARCHAR, trigger VARCHAR, source VARCHAR, log_path VARCHAR,
                  http_requests BIGINT NOT NULL, retries BIGINT NOT NULL, rate_limited BIGINT NOT NULL, bytes BIGINT NOT NULL);
                CREATE TABLE IF NOT EXISTS {Streams} (
                  run_id VARCHAR NOT NULL, stream VARCHAR NOT NULL, status VARCHAR NOT NULL, error VARCHAR,
                  records_extracted BIGINT NOT NULL, rows_inserted BIGINT NOT NULL, rows_updated BIGINT NOT NULL,
                  rows_deleted BIGINT NOT NULL, http_requests BIGINT NOT NULL, retries BIGINT NOT NULL,
                  rate_limited BIGINT NOT NULL, bytes BIGINT NOT NULL, duration_ms BIGINT NOT NULL,
                  bookmark_before VARCHAR, bookmark_after VARCHAR, finished_at {ts},
                  PRIMARY KEY (run_id, stream));
                CREATE TABLE IF NOT EXISTS {Reconciliation} (
                  run_id VARCHAR NOT NULL, table_name VARCHAR NOT NULL, scope VARCHAR NOT NULL,
                  jira_count BIGINT NOT NULL, row_count BIGINT NOT NULL, verdict VARCHAR NOT NULL, note VARCHAR NOT NULL,
                  affected_keys VARCHAR NOT NULL, checked_at {ts} NOT NULL,
                  PRIMARY KEY (run_id, table_name, scope));
                """);
            _created = true;
        }
        finally { _ensure.Release(); }
    }

    public async Task SaveRunAsync(RunRecord run, CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct);
        await EnsureCreatedAsync(c, ct);
        await ExecAsync(c, ct, $"""
            INSERT INTO {Runs} (run_id, started_at, finished_at, status, error, config_fingerprint, trigger, source, log_path,
              http_requests, retries, rate_limited, bytes)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
            ON CONFLICT (run_id) DO UPDATE SET finished_at = EXCLUDED.finished_at, status = EXCLUDED.status,
              error = EXCLUDED.error, log_path = EXCLUDED.log_path, http_requests = EXCLUDED.http_requests,
              retries = EXCLUDED.retries, rate_limited = EXCLUDED.rate_limited, bytes = EXCLUDED.bytes
            """,
            run.RunId, Utc(run.StartedAt), Utc(run.FinishedAt), run.Status.ToText(), run.Error, run.ConfigFingerprint,
            run.Trigger, run.Source, run.LogPath, run.HttpRequests, run.Retries, run.RateLimited, run.Bytes);
    }

    public async Task SaveStreamAsync(RunStreamRecord s, CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct);
        await EnsureCreatedAsync(c, ct);
        await ExecAsync(c, ct, $"""
            INSERT INTO {Streams} (run_id, stream, status, error, records_extracted, rows_inserted, rows_updated, rows_deleted,
              http_requests, retries, rate_limited, bytes, duration_ms, bookmark_before, bookmark_after, finished_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
            ON CONFLICT (run_id, stream) DO UPDATE SET status = EXCLUDED.status, error = EXCLUDED.error,
              records_extracted = EXCLUDED.records_extracted, rows_inserted = EXCLUDED.rows_inserted,
              rows_updated = EXCLUDED.rows_updated, rows_deleted = EXCLUDED.rows_deleted,
              http_requests = EXCLUDED.http_requests, retries = EXCLUDED.retries, rate_limited = EXCLUDED.rate_limited,
              bytes = EXCLUDED.bytes, duration_ms = EXCLUDED.duration_ms, bookmark_before = EXCLUDED.bookmark_before,
              bookmark_after = EXCLUDED.bookmark_after, finished_at = EXCLUDED.finished_at
            """,
            s.RunId, s.Stream, s.Status.ToText(), s.Error, s.RecordsExtracted, s.RowsInserted, s.RowsUpdated, s.RowsDeleted,
            s.HttpRequests, s.Retries, s.RateLimited, s.Bytes, (long)s.Duration.TotalMilliseconds, s.BookmarkBefore,
            s.BookmarkAfter, Utc(s.FinishedAt));
    }

    public async Task<IReadOnlyList<RunRecord>> ListRunsAsync(int limit, DateTimeOffset? since = null, CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct);
        await EnsureCreatedAsync(c, ct);
        var sql = $"SELECT * FROM {Runs}" + (since is null ? "" : " WHERE started_at >= $2") + " ORDER BY started_at DESC, run_id DESC LIMIT $1";
        return await QueryAsync(c, ct, sql, ReadRun, since is null ? [(long)limit] : [(long)limit, Utc(since)]);
    }

    public async Task<RunRecord?> GetRunAsync(string runId, CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct);
        await EnsureCreatedAsync(c, ct);
        return (await QueryAsync(c, ct, $"SELECT * FROM {Runs} WHERE run_id = $1", ReadRun, runId)).FirstOrDefault();
    }

    public async Task<IReadOnlyList<RunStreamRecord>> ListStreamsAsync(IReadOnlyCollection<string> runIds, CancellationToken ct = default)
    {
        if (runIds.Count == 0) return [];
        await using var c = await OpenAsync(ct);
        await EnsureCreatedAsync(c, ct);
        // IN ($1..$n) is syntax both engines share; chunks stay far below PostgreSQL's 65535-parameter limit.
        var rows = new List<RunStreamRecord>();
        foreach (var chunk in runIds.Distinct().Chunk(1000))
        {
            var placeholders = string.Join(", ", chunk.Select((_, i) => $"${i + 1}"));
            rows.AddRange(await QueryAsync(c, ct, $"SELECT * FROM {Streams} WHERE run_id IN ({placeholders})",
                ReadStream, chunk.Cast<object?>().ToArray()));
        }
        return rows.OrderBy(r => r.RunId, StringComparer.Ordinal).ThenBy(r => r.Stream, StringComparer.Ordinal).ToList();
    }

    public async Task SaveReconciliationAsync(JiraSync.Reconciliation.ReconciliationReport report, CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct);
        await EnsureCreatedAsync(c, ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await ExecAsync(c, ct, $"DELETE FROM {Reconciliation} WHERE run_id = $1", report.RunId);
        foreach (var r in report.Rows)
            await ExecAsync(c, ct, $"""
                INSERT INTO {Reconciliation} (run_id, table_name, scope, jira_count, row_count, verdict, note, affected_keys, checked_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                """, r.RunId, r.Table, r.Scope, r.JiraCount, r.RowCount, JiraSync.Reconciliation.ReconciliationVerdictText.ToText(r.Verdict), r.Note,
                string.Join(",", r.AffectedKeys), Utc(r.CheckedAt));
        await tx.CommitAsync(ct);
    }

    public async Task<IReadOnlyList<JiraSync.Reconciliation.ReconciliationRow>> ListReconciliationAsync(IReadOnlyCollection<string> runIds, CancellationToken ct = default)
    {
        if (runIds.Count == 0) return [];
        await using var c = await OpenAsync(ct);
        await EnsureCreatedAsync(c, ct);
        var rows = new List<JiraSync.Reconciliation.ReconciliationRow>();
        foreach (var chunk in runIds.Distinct().Chunk(1000))
        {
            var placeholders = string.Join(", ", chunk.Select((_, i) => $"${i + 1}"));
            rows.AddRange(await QueryAsync(c, ct, $"SELECT * FROM {Reconciliation} WHERE run_id IN ({placeholders})", r => new JiraSync.Reconciliation.ReconciliationRow(
                r.GetString(r.GetOrdinal("run_id")), r.GetString(r.GetOrdinal("table_name")), r.GetString(r.GetOrdinal("scope")),
                Long(r, "jira_count"), Long(r, "row_count"), JiraSync.Reconciliation.ReconciliationVerdictText.Parse(r.GetString(r.GetOrdinal("verdict"))),
                r.GetString(r.GetOrdinal("note")),
                r.GetString(r.GetOrdinal("affected_keys")).Split(',', StringSplitOptions.RemoveEmptyEntries),
                Instant(r, "checked_at")!.Value), chunk.Cast<object?>().ToArray()));
        }
        return rows.OrderBy(r => r.RunId, StringComparer.Ordinal).ThenBy(r => r.Table, StringComparer.Ordinal)
            .ThenBy(r => r.Scope == "*" ? "~" : r.Scope, StringComparer.Ordinal).ToList();
    }

    private static RunRecord ReadRun(DbDataReader r) => new()
    {
        RunId = r.GetString(r.GetOrdinal("run_id")),
        StartedAt = Instant(r, "started_at")!.Value,
        FinishedAt = Instant(r, "finished_at"),
        Status = RunStatusText.Parse(r.GetString(r.GetOrdinal("status"))),
        Error = Text(r, "error"),
        ConfigFingerprint = Text(r, "config_fingerprint"),
        Trigger = Text(r, "trigger") ?? "sync",
        Source = Text(r, "source"),
        LogPath = Text(r, "log_path"),
        HttpRequests = Long(r, "http_requests"),
        Retries = Long(r, "retries"),
        RateLimited = Long(r, "rate_limited"),
        Bytes = Long(r, "bytes"),
    };

    private static RunStreamRecord ReadStream(DbDataReader r) => new()
    {
        RunId = r.GetString(r.GetOrdinal("run_id")),
        Stream = r.GetString(r.GetOrdinal("stream")),
        Status = RunStatusText.Parse(r.GetString(r.GetOrdinal("status"))),
        Error = Text(r, "error"),
        RecordsExtracted = Long(r, "records_extracted"),
        RowsInserted = Long(r, "rows_inserted"),
        RowsUpdated = Long(r, "rows_updated"),
        RowsDeleted = Long(r, "rows_deleted"),
        HttpRequests = Long(r, "http_requests"),
        Retries = Long(r, "retries"),
        RateLimited = Long(r, "rate_limited"),
        Bytes = Long(r, "bytes"),
        Duration = TimeSpan.FromMilliseconds(Long(r, "duration_ms")),
        BookmarkBefore = Text(r, "bookmark_before"),
        BookmarkAfter = Text(r, "bookmark_after"),
        FinishedAt = Instant(r, "finished_at"),
    };

    private static string? Text(DbDataReader r, string column)
    {
        var i = r.GetOrdinal(column);
        return r.IsDBNull(i) ? null : r.GetString(i);
    }

    private static long Long(DbDataReader r, string column) => Convert.ToInt64(r.GetValue(r.GetOrdinal(column)));

    private static DateTimeOffset? Instant(DbDataReader r, string column)
    {
        var i = r.GetOrdinal(column);
        if (r.IsDBNull(i)) return null;
        return r.GetValue(i) switch
        {
            DateTimeOffset o => o.ToUniversalTime(),
            DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d.Kind == DateTimeKind.Local ? d.ToUniversalTime() : d, DateTimeKind.Utc)),
            var other => throw new InvalidDataException($"{column}: unexpected {other.GetType().Name}"),
        };
    }

    /// <summary>Instants are written as UTC DateTimes, which both drivers map to their timestamp types.</summary>
    private static object? Utc(DateTimeOffset? t) => t?.UtcDateTime;

    private static async Task ExecAsync(DbConnection c, CancellationToken ct, string sql, params object?[] args)
    {
        await using var cmd = Command(c, sql, args);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static async Task<List<T>> QueryAsync<T>(DbConnection c, CancellationToken ct, string sql, Func<DbDataReader, T> read, params object?[] args)
    {
        await using var cmd = Command(c, sql, args);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var list = new List<T>();
        while (await reader.ReadAsync(ct)) list.Add(read(reader));
        return list;
    }

    private static DbCommand Command(DbConnection c, string sql, object?[] args)
    {
        var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        foreach (var a in args)
        {
            var p = cmd.CreateParameter();
            p.Value = a ?? DBNull.Value;
            cmd.Parameters.Add(p);
        }
        return cmd;
    }

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
