using System.Data.Common;
using JiraSync.Logging;
using Npgsql;
using NpgsqlTypes;

namespace JiraSync.Loading.Destinations.Postgres;

/// <summary>A PostgreSQL schema (default "jira"). Rows go through binary COPY into a temporary staging
/// table, then one INSERT … ON CONFLICT DO UPDATE per stream and batch; a dropped connection (even
/// mid-COPY) rolls the whole batch back on the server.</summary>
internal sealed class PostgresDestination : SqlDestination
{
    private readonly NpgsqlConnection _connection;
    private readonly string _schema;
    private readonly string _display;

    private PostgresDestination(NpgsqlConnection connection, string schema, string display, ILog log) : base(log)
    {
        _connection = connection;
        _schema = schema;
        _display = display;
    }

    /// <summary>Connects to the database of <paramref name="connectionString"/>; tables go in <paramref name="schema"/> (created at the first write).
    /// Throws <see cref="Errors.RunFailedException"/> when the server cannot be reached or refuses the login.</summary>
    public static async Task<PostgresDestination> OpenAsync(string connectionString, string schema, string display, ILog log, CancellationToken ct = default)
    {
        var connection = await PostgresConnection.OpenAsync(connectionString, display, ct);
        return new PostgresDestination(connection, schema, display, log);
    }

    /// <inheritdoc/>
    protected override string DialectName => "postgres";
    /// <inheritdoc/>
    protected override DbConnection Connection => _connection;
    /// <inheritdoc/>
    public override string Name => $"{_display} (schema {_schema})";

    /// <summary>Tables filled within minutes have no planner statistics yet, so PostgreSQL guesses a handful of rows
    /// and picks nested loops for the batch's set-based statements (child rows of the batch's issues): quadratic,
    /// minutes per batch at 10k issues. Every join a batch makes is best hashed, so nested loops are off for its
    /// transaction only. Values large enough to be compressed (an issue's <c>fields</c> and rendered fields) are compressed
    /// with LZ4 where the server has it (PostgreSQL 14 and later, built with lz4): at 10k issues it took about two
    /// thirds of the CPU of the default pglz to COPY the issues, for the same size on disk (bench/RESULTS.md). It applies
    /// to the values this transaction writes; reading them needs nothing.</summary>
    protected override async Task BeginBatchAsync(DbTransaction tx, CancellationToken ct)
    {
        _straightInThisBatch.Clear();
        _lz4 ??= await ScalarAsync("SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'", tx, ct) is true;
        await ExecAsync("SET LOCAL enable_nestloop = off" + (_lz4 == true ? "; SET LOCAL default_toast_compression = lz4" : ""), tx, ct);
    }

    /// <summary>Whether the server compresses with LZ4 (asked at the first batch).</summary>
    private bool? _lz4;

    /// <inheritdoc/>
    protected override Task PrepareSchemaAsync(DbTransaction tx, CancellationToken ct) =>
        ExecAsync($"CREATE SCHEMA IF NOT EXISTS {SqlText.Ident(_schema)}", tx, ct);

    /// <inheritdoc/>
    protected override bool ConcurrentWriters => true;

    /// <inheritdoc/>
    /// <remarks>A transaction advisory lock keyed by database and schema (<see cref="SchemaChangeLock.Tables"/>): partitioned
    /// syncs create and widen the same tables at once.</remarks>
    protected override Task LockSchemaChangesAsync(DbTransaction tx, CancellationToken ct) =>
        ExecAsync(SchemaChangeLock.Tables(_schema), tx, ct);

    /// <inheritdoc/>
    public override string TypeName(ColumnType type) => type switch
    {
        ColumnType.Boolean => "boolean",
        ColumnType.BigInt => "bigint",
        ColumnType.Double => "double precision",
        ColumnType.Date => "date",
        ColumnType.Timestamp => "timestamptz",
        ColumnType.Json => "jsonb",
        _ => "text",
    };

    /// <inheritdoc/>
    protected override ColumnType ParseType(string dataType) => dataType switch
    {
        "boolean" => ColumnType.Boolean,
        "bigint" or "integer" or "smallint" => ColumnType.BigInt,
        "double precision" or "real" or "numeric" => ColumnType.Double,
        "date" => ColumnType.Date,
        "timestamp with time zone" => ColumnType.Timestamp,
        "jsonb" or "json" => ColumnType.Json,
        _ => ColumnType.Text,
    };

    /// <inheritdoc/>
    public override string TableRef(string table) => $"{SqlText.Ident(_schema)}.{SqlText.Ident(table)}";

    /// <inheritdoc/>
    public override string ColumnCommentsQuery(string table) =>
        $"SELECT attname, col_description(attrelid, attnum) FROM pg_attribute WHERE attrelid = to_regclass({SqlText.Literal(TableRef(table))}) AND attnum > 0 AND NOT attisdropped";

    /// <inheritdoc/>
    protected override string ColumnsOf(string table) =>
        $"table_schema = {SqlText.Literal(_schema)} AND table_name = {SqlText.Literal(table)}";

    /// <inheritdoc/>
    protected override Task WriteStagingAsync(string staging, TableSchema table, IEnumerable<object?[]> rows, DbTransaction tx, CancellationToken ct) =>
        CopyAsync(SqlText.Ident(staging), table, rows, ct);

    /// <inheritdoc/>
    /// <remarks>Binary COPY straight into the table: its rows have no key, so nothing is upserted.</remarks>
    public override Task AppendRowsAsync(TableSchema table, IEnumerable<object?[]> rows, DbTransaction tx, CancellationToken ct) =>
        CopyAsync(TableRef(table.Stream), table, rows, ct);

    /// <inheritdoc/>
    /// <remarks>A first load COPYs its rows straight into the tables: staging every row into a temporary table, joining
    /// it against the table and copying it again with INSERT … ON CONFLICT took about as much of the server's CPU as the
    /// COPY itself (bench/RESULTS.md, "Loading speed and memory"). A keyed table takes this path while it was empty when
    /// this load first wrote to it and no COPY into it has met an existing key since. The COPY runs under a savepoint:
    /// a key already there (a record re-sent in a later batch, or a row another partition's load inserted meanwhile)
    /// fails it with a unique violation, or a deadlock against that other load; both roll back to the savepoint, which
    /// undoes the COPY alone, and the rows are upserted from staging, for this table from then on. Not while other
    /// processes load at once (<see cref="SqlDestination.SharedWithOtherLoads"/>).</remarks>
    protected override async Task<bool> TryInsertNewRowsAsync(TableSchema table, IEnumerable<object?[]> rows, DbTransaction tx, CancellationToken ct)
    {
        var target = TableRef(table.Stream);
        if (!table.HasKey)
        {
            await CopyAsync(target, table, rows, ct);
            return true;
        }
        // Beside other partitions' loads a COPY in arrival order could deadlock with their upserts, which lock rows in
        // key order; a failed batch would then have to be resumed: keep to the upsert there.
        if (SharedWithOtherLoads) return false;
        if (!_copyStraightIn.TryGetValue(table.Stream, out var straightIn))
        {
            _copyStraightIn[table.Stream] = straightIn = await ScalarAsync($"SELECT NOT EXISTS (SELECT 1 FROM {target})", tx, ct) is true;
            if (straightIn) _emptyAtFirstWrite.Add(table.Stream);
        }
        if (!straightIn) return false;
        var transaction = (NpgsqlTransaction)tx;
        await transaction.SaveAsync(StraightInSavepoint, ct);
        try
        {
            await CopyAsync(target, table, rows, ct);
            await transaction.ReleaseAsync(StraightInSavepoint, ct);
            _straightInThisBatch.Add(table.Stream);
            return true;
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DeadlockDetected)
        {
            await transaction.RollbackAsync(StraightInSavepoint, ct);
            _copyStraightIn[table.Stream] = false;
            Log.Debug($"table {table.Stream}: a key of the batch exists already ({e.SqlState}); upserting from staging from now on");
            return false;
        }
    }

    /// <inheritdoc/>
    /// <remarks>The parent rows went straight in (none of their keys was in the table before this batch) and the child
    /// table was empty when this load first wrote to it: every child row is this load's, and one naming a parent that is
    /// new in this batch could only have come in an earlier batch than its parent, which a tap does not send (a parent's
    /// children follow it). Skipping saves scanning both tables in every batch of a first load, a cost that grew with the
    /// tables (quadratic over the load: about a third of the server's statement time at 50k issues).</remarks>
    protected override bool NoChildCanBeStale(DeletionCascade link) =>
        _straightInThisBatch.Contains(link.Parent) && _emptyAtFirstWrite.Contains(link.Child);

    /// <summary>Keyed streams whose rows of the current batch were COPYed straight into their table.</summary>
    private readonly HashSet<string> _straightInThisBatch = new(StringComparer.Ordinal);

    /// <summary>Keyed streams whose table was empty when this load first wrote to it.</summary>
    private readonly HashSet<string> _emptyAtFirstWrite = new(StringComparer.Ordinal);

    private const string StraightInSavepoint = "jirasync_copy_straight_in";

    /// <summary>Keyed tables (by stream) and whether their rows are COPYed straight in (<see cref="TryInsertNewRowsAsync"/>).</summary>
    private readonly Dictionary<string, bool> _copyStraightIn = new(StringComparer.Ordinal);

    /// <summary>Binary COPY of <paramref name="rows"/> (in <see cref="TableSchema.AllColumns"/> order) into <paramref name="tableSql"/> (quoted).</summary>
    private async Task CopyAsync(string tableSql, TableSchema table, IEnumerable<object?[]> rows, CancellationToken ct)
    {
        var columns = table.AllColumns.ToArray();
        var dbTypes = columns.Select(c => DbType(c.Type)).ToArray();
        await using var importer = await _connection.BeginBinaryImportAsync(
            $"COPY {tableSql} ({SqlText.ColumnList(columns.Select(c => c.Name))}) FROM STDIN (FORMAT BINARY)", ct);
        var n = 0;
        foreach (var values in rows)
        {
            await importer.StartRowAsync(ct);
            for (var i = 0; i < values.Length; i++)
            {
                if (values[i] is null) await importer.WriteNullAsync(ct);
                else await importer.WriteAsync(NulCharacters.Remove(values[i]!, columns[i].Type), dbTypes[i], ct);
            }
            if (++n == 10) TestPause.At("staging"); // mid-write of a batch, for the crash tests
        }
        await importer.CompleteAsync(ct);
    }

    private static NpgsqlDbType DbType(ColumnType type) => type switch
    {
        ColumnType.Boolean => NpgsqlDbType.Boolean,
        ColumnType.BigInt => NpgsqlDbType.Bigint,
        ColumnType.Double => NpgsqlDbType.Double,
        ColumnType.Date => NpgsqlDbType.Date,
        ColumnType.Timestamp => NpgsqlDbType.TimestampTz,
        ColumnType.Json => NpgsqlDbType.Jsonb,
        _ => NpgsqlDbType.Text,
    };

    /// <inheritdoc/>
    public override async ValueTask DisposeAsync() => await _connection.DisposeAsync();
}
