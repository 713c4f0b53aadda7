using System.Data.Common;

namespace JiraSync.Loading;

/// <summary>
/// Work that must commit atomically with a batch's rows in a SQL destination (DuckDB, PostgreSQL): derived tables
/// such as field history built from the issues and changelogs just written. Registered in
/// <see cref="LoadOptions.SqlBatchHooks"/>; <see cref="SqlDestination"/> calls each hook once per batch, after the
/// rows, version activations, stale-children marks and deletion cascades are applied and before the state is saved,
/// inside the batch's one transaction: a hook's failure rolls the whole batch back (and the run fails), so derived
/// tables never disagree with the rows. The jsonl destination has no transaction and does not call hooks.
/// </summary>
public interface ISqlBatchHook
{
    /// <summary>Runs the hook's statements on <see cref="SqlBatchContext.Connection"/> within
    /// <see cref="SqlBatchContext.Transaction"/>.</summary>
    /// <param name="context">Connection, transaction, batch, counts and dialect.</param>
    /// <param name="ct">Cancels the operation.</param>
    Task AfterBatchWrittenAsync(SqlBatchContext context, CancellationToken ct);

    /// <summary>Runs once after a load's last batch committed, outside any batch transaction (e.g. refreshing views
    /// over derived tables). Default: nothing.</summary>
    /// <param name="context">Connection, dialect and log.</param>
    /// <param name="ct">Cancels the operation.</param>
    Task AfterLoadAsync(SqlLoadContext context, CancellationToken ct) => Task.CompletedTask;
}

/// <summary>What a <see cref="ISqlBatchHook"/> sees after a load: the connection (no transaction open) and the dialect.</summary>
/// <param name="Connection">The destination's connection.</param>
/// <param name="Dialect">How to name tables and types in this destination's SQL.</param>
/// <param name="Log">The run's log.</param>
public sealed record SqlLoadContext(DbConnection Connection, ISqlDialect Dialect, JiraSync.Logging.ILog Log);

/// <summary>What a <see cref="ISqlBatchHook"/> sees of the batch being committed.</summary>
/// <param name="Connection">The destination's connection; use it only with <paramref name="Transaction"/>.</param>
/// <param name="Transaction">The batch's transaction (do not commit or roll it back).</param>
/// <param name="Batch">The batch: its streams' rows, activations and state.</param>
/// <param name="Counts">Per stream: rows inserted, updated and marked deleted so far in this batch.</param>
/// <param name="Dialect">How to name tables and types in this destination's SQL.</param>
public sealed record SqlBatchContext(
    DbConnection Connection,
    DbTransaction Transaction,
    LoadBatch Batch,
    IReadOnlyDictionary<string, StreamCounts> Counts,
    ISqlDialect Dialect);

/// <summary>The SQL spelling of one destination: quoted table references and column type names.</summary>
public interface ISqlDialect
{
    /// <summary>"destination": "duckdb" or "postgres" style, for hooks that must differ (e.g. JSON functions).</summary>
    string Name { get; }

    /// <summary>The quoted, schema-qualified reference to a table of the destination, e.g. <c>"jira"."issues"</c>.</summary>
    /// <param name="table">Unquoted table name.</param>
    string TableRef(string table);

    /// <summary>The column type's name in this dialect, e.g. TIMESTAMPTZ / timestamptz.</summary>
    /// <param name="type">The column type.</param>
    string TypeName(ColumnType type);

    /// <summary>Whether the table exists, and its columns (name → type) if it does; null when it does not.</summary>
    /// <param name="table">Unquoted table name.</param>
    /// <param name="tx">The open transaction to read in, if any.</param>
    /// <param name="ct">Cancels the operation.</param>
    Task<IReadOnlyDictionary<string, ColumnType>?> ColumnsAsync(string table, DbTransaction? tx, CancellationToken ct);

    /// <summary>A query returning (column name, comment) for each column of a table.</summary>
    /// <param name="table">Unquoted table name.</param>
    string ColumnCommentsQuery(string table);

    /// <summary>Appends rows (in <see cref="TableSchema.AllColumns"/> order) to an existing table with the destination's
    /// bulk path (DuckDB's appender, PostgreSQL's binary COPY, through a temporary staging table).</summary>
    /// <param name="table">The table's columns (it must exist with them).</param>
    /// <param name="rows">Values in <see cref="TableSchema.AllColumns"/> order.</param>
    /// <param name="tx">The batch's transaction.</param>
    /// <param name="ct">Cancels the operation.</param>
    Task AppendRowsAsync(TableSchema table, IEnumerable<object?[]> rows, DbTransaction tx, CancellationToken ct);
}
