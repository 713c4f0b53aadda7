using JiraSync.Singer;
using System.Data.Common;
using System.Text.Json.Nodes;
using JiraSync.Logging;
using static JiraSync.Loading.SqlText;

namespace JiraSync.Loading;

/// <summary>
/// What the DuckDB and PostgreSQL destinations share: table creation and evolution, the upsert from a
/// staging table, soft deletes, version activation and the _jirasync_state table, all in portable SQL.
/// Subclasses supply the connection, the type names, catalog lookups and the bulk write into staging
/// (DuckDB's appender, PostgreSQL's binary COPY), and may replace the two statements dialects differ on most:
/// the upsert from staging (<see cref="UpsertSql"/>) and the widening of a column (<see cref="WidenColumnSql"/>).
/// Work that must commit with a batch's rows plugs in as an <see cref="ISqlBatchHook"/>.
/// </summary>
internal abstract class SqlDestination(ILog log) : IDestination, ISqlDialect
{
    /// <summary>The table holding each source's state (one row per state key).</summary>
    public const string StateTable = "_jirasync_state";
    private const string Staging = "_jirasync_staging";
    private bool _prepared;
    private readonly CommitTimings _timings = new();
    private long _stagingTicks;
    private TimeSpan _stagingCpu;

    /// <summary>Where the commits of this destination spent their time so far (wall clock, summed over batches).</summary>
    public CommitTimings Timings => _timings;

    /// <summary>Where the destination's messages go.</summary>
    protected ILog Log { get; } = log;
    /// <summary>The destination's one open connection.</summary>
    protected abstract DbConnection Connection { get; }
    /// <inheritdoc/>
    public abstract string Name { get; }
    /// <inheritdoc/>
    public bool WantsColumnValues => true;
    /// <inheritdoc/>
    public string StateKey { get; set; } = StateKeys.Default;

    /// <summary>The dialect's short name ("duckdb", "postgres").</summary>
    protected abstract string DialectName { get; }
    string ISqlDialect.Name => DialectName;

    /// <summary>The dialect's name for a column type.</summary>
    public abstract string TypeName(ColumnType type);

    /// <summary>Quoted, schema-qualified table name.</summary>
    public abstract string TableRef(string table);

    async Task<IReadOnlyDictionary<string, ColumnType>?> ISqlDialect.ColumnsAsync(string table, DbTransaction? tx, CancellationToken ct) =>
        await ReadColumnsAsync(table, tx, ct);

    /// <inheritdoc/>
    public abstract string ColumnCommentsQuery(string table);

    private const string AppendStaging = "_jirasync_append_staging";

    /// <inheritdoc/>
    public async Task AppendRowsAsync(TableSchema table, IEnumerable<object?[]> rows, DbTransaction tx, CancellationToken ct)
    {
        await ExecAsync($"CREATE TEMP TABLE {Ident(AppendStaging)} ({string.Join(", ", table.AllColumns.Select(c => $"{Ident(c.Name)} {TypeName(c.Type)}"))})", tx, ct);
        await WriteStagingAsync(AppendStaging, table, rows, tx, ct);
        var names = ColumnList(table.AllColumns.Select(c => c.Name));
        await ExecAsync($"INSERT INTO {TableRef(table.Stream)} ({names}) SELECT {names} FROM {Ident(AppendStaging)}", tx, ct);
        await ExecAsync($"DROP TABLE {Ident(AppendStaging)}", tx, ct);
    }

    /// <inheritdoc/>
    public virtual async Task AfterLoadAsync(IReadOnlyList<ISqlBatchHook> hooks, CancellationToken ct = default)
    {
        if (hooks.Count == 0) return;
        await PrepareAsync(ct);
        foreach (var hook in hooks) await hook.AfterLoadAsync(new SqlLoadContext(Connection, this, Log), ct);
    }

    /// <summary>The statement moving the staging table's rows into <paramref name="table"/>. Default: a portable
    /// <c>INSERT … SELECT</c>, with <c>ON CONFLICT (keys) DO UPDATE SET …</c> when <paramref name="onConflictSet"/> is given
    /// (some staged keys exist already; its assignments keep known values for key-only deletion notices).</summary>
    /// <param name="table">The quoted target table reference.</param>
    /// <param name="staging">The quoted staging table name, or a subquery over it ordering the rows by key.</param>
    /// <param name="columns">Quoted column list, in staging order.</param>
    /// <param name="keys">Quoted key column list, or null for a keyless stream (plain append).</param>
    /// <param name="onConflictSet">The <c>SET</c> assignments for existing keys (target aliased <c>t</c>), or null when no staged key exists.</param>
    protected virtual string UpsertSql(string table, string staging, string columns, string? keys, string? onConflictSet) =>
        keys is null || onConflictSet is null
            ? $"INSERT INTO {table} AS t ({columns}) SELECT {columns} FROM {staging}"
            : $"INSERT INTO {table} AS t ({columns}) SELECT {columns} FROM {staging} ON CONFLICT ({keys}) DO UPDATE SET {onConflictSet}";

    /// <summary>The statement widening a column in place to <paramref name="wider"/> (every existing value casts
    /// losslessly: integer → double, anything → text). Default: <c>ALTER TABLE … ALTER COLUMN … TYPE … USING CAST(…)</c>.</summary>
    /// <param name="table">The quoted table reference.</param>
    /// <param name="column">The quoted column name.</param>
    /// <param name="wider">The column's new type.</param>
    protected virtual string WidenColumnSql(string table, string column, ColumnType wider) =>
        $"ALTER TABLE {table} ALTER COLUMN {column} TYPE {TypeName(wider)} USING CAST({column} AS {TypeName(wider)})";

    /// <summary>The condition on information_schema.columns that selects one table of this destination.</summary>
    protected abstract string ColumnsOf(string table);

    /// <summary>The column type for an information_schema data_type of this dialect.</summary>
    protected abstract ColumnType ParseType(string dataType);

    /// <summary>Existing columns' (name → column type), or null when the table does not exist.</summary>
    protected async Task<Dictionary<string, ColumnType>?> ReadColumnsAsync(string table, DbTransaction? tx, CancellationToken ct)
    {
        await using var cmd = Command($"SELECT column_name, data_type FROM information_schema.columns WHERE {ColumnsOf(table)}", tx);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var columns = new Dictionary<string, ColumnType>();
        while (await reader.ReadAsync(ct)) columns[reader.GetString(0)] = ParseType(reader.GetString(1));
        return columns.Count == 0 ? null : columns;
    }

    /// <summary>Bulk-writes rows (in <see cref="TableSchema.AllColumns"/> order) into the staging table.</summary>
    protected abstract Task WriteStagingAsync(string staging, TableSchema table, IEnumerable<object?[]> rows, DbTransaction tx, CancellationToken ct);

    /// <summary>Session settings for a batch's transaction (PostgreSQL: planner settings).</summary>
    protected virtual Task BeginBatchAsync(DbTransaction tx, CancellationToken ct) => Task.CompletedTask;

    /// <summary>One-time setup before the first statement (e.g. CREATE SCHEMA), in <paramref name="tx"/>.</summary>
    protected virtual Task PrepareSchemaAsync(DbTransaction tx, CancellationToken ct) => Task.CompletedTask;

    /// <summary>True where several processes may load this destination at once (PostgreSQL): every upsert then resolves
    /// conflicts, in key order. Default: false (one writer).</summary>
    protected virtual bool ConcurrentWriters => false;

    /// <summary>Holds this destination's schema-change lock until <paramref name="tx"/> ends, where several processes
    /// load one destination at once (<see cref="SchemaChangeLock"/>). Default: nothing (one writer).</summary>
    protected virtual Task LockSchemaChangesAsync(DbTransaction tx, CancellationToken ct) => Task.CompletedTask;

    private async Task PrepareAsync(CancellationToken ct)
    {
        if (_prepared) return;
        await using var tx = await Connection.BeginTransactionAsync(ct);
        await LockSchemaChangesAsync(tx, ct);
        await PrepareSchemaAsync(tx, ct);
        await ExecAsync($"CREATE TABLE IF NOT EXISTS {TableRef(StateTable)} (state_id VARCHAR PRIMARY KEY, value {TypeName(ColumnType.Json)}, updated_at {TypeName(ColumnType.Timestamp)})", tx, ct);
        await tx.CommitAsync(ct);
        _prepared = true;
    }

    /// <inheritdoc/>
    public virtual async Task<JsonObject?> ReadStateAsync(CancellationToken ct = default)
    {
        await PrepareAsync(ct);
        var text = await ScalarAsync($"SELECT CAST(value AS VARCHAR) FROM {TableRef(StateTable)} WHERE state_id = {Literal(StateKey)}", null, ct);
        return text is string s ? JsonNode.Parse(s) as JsonObject : null;
    }

    /// <inheritdoc/>
    public virtual async Task WriteStateAsync(JsonObject state, CancellationToken ct = default)
    {
        await PrepareAsync(ct);
        await using var tx = await Connection.BeginTransactionAsync(ct);
        await SaveStateAsync(state, DateTimeOffset.UtcNow, tx, ct);
        await tx.CommitAsync(ct);
    }

    /// <inheritdoc/>
    public virtual async Task<TableSchema> ApplySchemaAsync(TableSchema desired, CancellationToken ct = default)
    {
        await PrepareAsync(ct);
        var table = TableRef(desired.Stream);
        await using var tx = await Connection.BeginTransactionAsync(ct);
        // Another process loading this destination may be creating or widening the same table: one at a time, and the
        // columns are read after the lock, so the second sees the first's table.
        await LockSchemaChangesAsync(tx, ct);
        var existing = await ReadColumnsAsync(desired.Stream, tx, ct);
        var actual = new List<ColumnSpec>();
        if (existing is null)
        {
            var defs = desired.AllColumns.Select(c => $"{Ident(c.Name)} {TypeName(c.Type)}").ToList();
            if (desired.HasKey) defs.Add($"PRIMARY KEY ({ColumnList(desired.KeyProperties)})");
            await ExecAsync($"CREATE TABLE {table} ({string.Join(", ", defs)})", tx, ct);
            if (desired.Description is { } d) await ExecAsync($"COMMENT ON TABLE {table} IS {Literal(d)}", tx, ct);
            foreach (var c in desired.AllColumns) await CommentAsync(table, c, tx, ct);
            actual.AddRange(desired.Columns);
            Log.Info($"created table {desired.Stream} ({desired.Columns.Count} columns) in {Name}");
        }
        else
        {
            foreach (var c in desired.AllColumns)
            {
                if (!existing.TryGetValue(c.Name, out var have))
                {
                    await ExecAsync($"ALTER TABLE {table} ADD COLUMN {Ident(c.Name)} {TypeName(c.Type)}", tx, ct);
                    await CommentAsync(table, c, tx, ct);
                    Log.Info($"table {desired.Stream}: added column {c.Name} ({TypeName(c.Type)})");
                    have = c.Type;
                }
                else if (have != c.Type && ColumnTypes.Widen(have, c.Type) is var wide && wide != have)
                {
                    // Widen in place: every existing value casts losslessly (integer → double, anything → text).
                    await ExecAsync(WidenColumnSql(table, Ident(c.Name), wide), tx, ct);
                    Log.Info($"table {desired.Stream}: widened column {c.Name} from {TypeName(have)} to {TypeName(wide)}");
                    have = wide;
                }
                if (!TableSchema.IsMetadata(c.Name)) actual.Add(c with { Type = have });
            }
            await RefreshCommentsAsync(desired, existing, tx, ct);
        }
        await tx.CommitAsync(ct);
        return desired with { Columns = actual };
    }

    /// <inheritdoc/>
    public virtual async Task<IReadOnlyDictionary<string, StreamCounts>> CommitAsync(LoadBatch batch, CancellationToken ct = default)
    {
        await PrepareAsync(ct);
        var counts = new Dictionary<string, StreamCounts>();
        var marks = new CommitTimings.Mark[CommitTimings.Steps.Count + 1];
        var start = CommitTimings.Mark.Now();
        await using var tx = await Connection.BeginTransactionAsync(ct);
        await BeginBatchAsync(tx, ct);
        foreach (var stream in batch.Streams)
        {
            if (stream.Rows.Count == 0) continue;
            counts[stream.Table.Stream] = await UpsertAsync(stream, batch.BatchedAt, tx, ct);
        }
        // Staging was timed inside the upserts; the marks place it first.
        var written = CommitTimings.Mark.Now();
        marks[0] = start;
        marks[1] = new CommitTimings.Mark(start.Ticks + _stagingTicks, start.Cpu + _stagingCpu);
        marks[2] = new CommitTimings.Mark(written.Ticks, written.Cpu);
        foreach (var activation in batch.Activations)
        {
            var marked = await ExecAsync(
                $"UPDATE {TableRef(activation.Stream)} SET {Ident(TableSchema.DeletedAt)} = {TimestampLiteral(batch.BatchedAt)}, {Ident(RowStatus.Column)} = {Literal(RowStatus.Deleted)} " +
                $"WHERE ({Ident(TableSchema.TableVersion)} IS NULL OR {Ident(TableSchema.TableVersion)} < {activation.Version}) AND {Ident(TableSchema.DeletedAt)} IS NULL", tx, ct);
            if (!counts.TryGetValue(activation.Stream, out var c)) counts[activation.Stream] = c = new StreamCounts();
            c.MarkedDeleted += marked;
        }
        foreach (var snapshot in batch.SnapshotChildren)
        {
            if (!counts.ContainsKey(snapshot.Parent)) continue;
            var marked = await MarkStaleChildrenAsync(snapshot, batch.BatchedAt, tx, ct);
            if (marked == 0) continue;
            if (!counts.TryGetValue(snapshot.Child, out var c)) counts[snapshot.Child] = c = new StreamCounts();
            c.MarkedDeleted += marked;
        }
        foreach (var cascade in batch.Cascades)
        {
            if (counts.GetValueOrDefault(cascade.Parent)?.MarkedDeleted is not > 0) continue;
            var marked = await CascadeAsync(cascade, tx, ct);
            if (marked == 0) continue;
            if (!counts.TryGetValue(cascade.Child, out var c)) counts[cascade.Child] = c = new StreamCounts();
            c.MarkedDeleted += marked;
        }
        marks[3] = CommitTimings.Mark.Now();
        foreach (var hook in batch.SqlBatchHooks)
            await hook.AfterBatchWrittenAsync(new SqlBatchContext(Connection, tx, batch, counts, this), ct);
        marks[4] = CommitTimings.Mark.Now();
        if (batch.State is { } state) await SaveStateAsync(state, batch.BatchedAt, tx, ct);
        TestPause.At("before-commit");
        await tx.CommitAsync(ct);
        marks[5] = CommitTimings.Mark.Now();
        _timings.Add(marks);
        Log.Debug($"batch {batch.Number} in {Name}: {_timings.Last}");
        (_stagingTicks, _stagingCpu) = (0, TimeSpan.Zero);
        return counts;
    }

    private async Task<StreamCounts> UpsertAsync(StreamBatch stream, DateTimeOffset batchedAt, DbTransaction tx, CancellationToken ct)
    {
        var t = stream.Table;
        var table = TableRef(t.Stream);
        var names = t.AllColumns.Select(c => c.Name).ToList();
        await ExecAsync($"CREATE TEMP TABLE {Ident(Staging)} ({string.Join(", ", t.AllColumns.Select(c => $"{Ident(c.Name)} {TypeName(c.Type)}"))})", tx, ct);
        var stagingStarted = CommitTimings.Mark.Now();
        await WriteStagingAsync(Staging, t, stream.Rows.Select(r => RowValues.Build(t, r, batchedAt)), tx, ct);
        var staged = CommitTimings.Mark.Now();
        _stagingTicks += staged.Ticks - stagingStarted.Ticks;
        _stagingCpu += staged.Cpu - stagingStarted.Cpu;
        var counts = new StreamCounts { Received = stream.Rows.Count, Inserted = stream.Rows.Count };
        if (t.HasKey)
        {
            var on = string.Join(" AND ", t.KeyProperties.Select(k => $"s.{Ident(k)} = t.{Ident(k)}"));
            var del = Ident(TableSchema.DeletedAt);
            await using (var cmd = Command(
                $"SELECT count(t.{Ident(t.KeyProperties[0])}), count(CASE WHEN s.{del} IS NOT NULL AND t.{del} IS NULL THEN 1 END) " +
                $"FROM {Ident(Staging)} AS s LEFT JOIN {table} AS t ON {on}", tx))
            await using (var reader = await cmd.ExecuteReaderAsync(ct))
            {
                await reader.ReadAsync(ct);
                counts.Updated = Convert.ToInt64(reader.GetValue(0));
                counts.MarkedDeleted = Convert.ToInt64(reader.GetValue(1));
                counts.Inserted -= counts.Updated;
            }
            // A deletion notice may carry only the key: keep the last known values, set the mark.
            var status = Ident(RowStatus.Column);
            var set = names.Where(n => !t.KeyProperties.Contains(n)).Select(n =>
                // A status comes with the record; "moved" stays on a row that lives on under its new key.
                n == RowStatus.Column ? $"{status} = COALESCE(excluded.{status}, CASE WHEN excluded.{del} IS NULL AND t.{status} = {Literal(RowStatus.Moved)} THEN t.{status} END)" :
                n is TableSchema.DeletedAt or TableSchema.Sequence or TableSchema.BatchedAt or TableSchema.ExtractedAt
                    ? $"{Ident(n)} = excluded.{Ident(n)}"
                    : $"{Ident(n)} = CASE WHEN excluded.{del} IS NULL THEN excluded.{Ident(n)} ELSE COALESCE(excluded.{Ident(n)}, t.{Ident(n)}) END");
            // No staged key exists yet (the bulk of a historical sync): a plain insert skips the conflict machinery. Not
            // where other processes load at once (partitions): one may insert a shared row (an issue link between two
            // partitions' issues) after the count; their upserts take the rows' locks in key order, so they never deadlock.
            var staging = ConcurrentWriters ? $"(SELECT * FROM {Ident(Staging)} ORDER BY {ColumnList(t.KeyProperties)}) AS s" : Ident(Staging);
            await ExecAsync(UpsertSql(table, staging, ColumnList(names), ColumnList(t.KeyProperties),
                counts.Updated == 0 && !ConcurrentWriters ? null : string.Join(", ", set)), tx, ct);
        }
        else
        {
            counts.MarkedDeleted = stream.Rows.Count(r => r.DeletedAt is not null);
            await ExecAsync(UpsertSql(table, Ident(Staging), ColumnList(names), null, null), tx, ct);
        }
        await ExecAsync($"DROP TABLE {Ident(Staging)}", tx, ct);
        return counts;
    }

    private async Task<int> CascadeAsync(DeletionCascade cascade, DbTransaction tx, CancellationToken ct)
    {
        var child = await ReadColumnsAsync(cascade.Child, tx, ct);
        var parent = await ReadColumnsAsync(cascade.Parent, tx, ct);
        if (child is null || parent is null || !child.ContainsKey(cascade.ChildColumn) || !parent.ContainsKey(cascade.ParentKey)) return 0;
        var del = Ident(TableSchema.DeletedAt);
        var status = Ident(RowStatus.Column);
        // The child leaves for its parent's reason (a table from before the status column has none to copy).
        var setStatus = child.ContainsKey(RowStatus.Column)
            ? $", {status} = " + (parent.ContainsKey(RowStatus.Column) ? $"COALESCE(p.{status}, {Literal(RowStatus.Deleted)})" : Literal(RowStatus.Deleted))
            : "";
        // Compared as text: the child's copy of the id may be typed differently from the parent's key.
        return await ExecAsync(
            $"UPDATE {TableRef(cascade.Child)} AS c SET {del} = p.{del}{setStatus} FROM {TableRef(cascade.Parent)} AS p " +
            $"WHERE CAST(c.{Ident(cascade.ChildColumn)} AS VARCHAR) = CAST(p.{Ident(cascade.ParentKey)} AS VARCHAR) " +
            $"AND p.{del} IS NOT NULL AND c.{del} IS NULL", tx, ct);
    }

    private async Task<int> MarkStaleChildrenAsync(DeletionCascade link, DateTimeOffset batchedAt, DbTransaction tx, CancellationToken ct)
    {
        var child = await ReadColumnsAsync(link.Child, tx, ct);
        if (child is null || !child.ContainsKey(link.ChildColumn)) return 0;
        var del = Ident(TableSchema.DeletedAt);
        var batched = Ident(TableSchema.BatchedAt);
        var now = TimestampLiteral(batchedAt);
        // Children loaded in this batch carry this batch's time; older ones of a parent loaded now were not re-sent.
        return await ExecAsync(
            $"UPDATE {TableRef(link.Child)} SET {del} = {now}" + (child.ContainsKey(RowStatus.Column) ? $", {Ident(RowStatus.Column)} = {Literal(RowStatus.Deleted)}" : "") +
            $" WHERE {del} IS NULL AND {batched} < {now} " +
            $"AND CAST({Ident(link.ChildColumn)} AS VARCHAR) IN (SELECT CAST(p.{Ident(link.ParentKey)} AS VARCHAR) FROM {TableRef(link.Parent)} AS p " +
            $"WHERE p.{batched} = {now} AND p.{del} IS NULL)", tx, ct);
    }

    private async Task SaveStateAsync(JsonObject state, DateTimeOffset at, DbTransaction tx, CancellationToken ct) =>
        await ExecAsync(
            $"INSERT INTO {TableRef(StateTable)} (state_id, value, updated_at) VALUES ({Literal(StateKey)}, CAST({Literal(state.ToJsonString())} AS {TypeName(ColumnType.Json)}), {TimestampLiteral(at)}) " +
            "ON CONFLICT (state_id) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at", tx, ct);

    /// <inheritdoc/>
    public async Task<IReadOnlyList<TableRowCount>> CountRowsAsync(IEnumerable<string> streams, CancellationToken ct = default)
    {
        var result = new List<TableRowCount>();
        foreach (var s in streams.Distinct().Order(StringComparer.Ordinal))
        {
            if (await ReadColumnsAsync(s, null, ct) is null) continue;
            await using var cmd = Command($"SELECT count(*), count({Ident(TableSchema.DeletedAt)}) FROM {TableRef(s)}", null);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            result.Add(new TableRowCount(s, Convert.ToInt64(reader.GetValue(0)), Convert.ToInt64(reader.GetValue(1))));
        }
        return result;
    }

    public async Task<IReadOnlyList<string?[]>?> ReadRowsAsync(string stream, IReadOnlyList<string> columns, bool liveOnly = true, CancellationToken ct = default)
    {
        var existing = await ReadColumnsAsync(stream, null, ct);
        if (existing is null || columns.Any(c => !existing.ContainsKey(c))) return null;
        await using var cmd = Command($"SELECT {string.Join(", ", columns.Select(c => $"CAST({Ident(c)} AS VARCHAR)"))} FROM {TableRef(stream)}" +
                                      (liveOnly ? $" WHERE {Ident(TableSchema.DeletedAt)} IS NULL" : ""), null);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var rows = new List<string?[]>();
        while (await reader.ReadAsync(ct))
        {
            var row = new string?[columns.Count];
            for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetString(i);
            rows.Add(row);
        }
        return rows;
    }

    public async Task<IReadOnlyDictionary<string, long>?> CountLiveRowsByAsync(string stream, string column, CancellationToken ct = default)
    {
        var existing = await ReadColumnsAsync(stream, null, ct);
        if (existing is null || !existing.ContainsKey(column)) return null;
        var c = $"CAST({Ident(column)} AS VARCHAR)";
        await using var cmd = Command($"SELECT {c}, count(*) FROM {TableRef(stream)} WHERE {Ident(TableSchema.DeletedAt)} IS NULL AND {Ident(column)} IS NOT NULL GROUP BY {c}", null);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct)) counts[reader.GetString(0)] = Convert.ToInt64(reader.GetValue(1));
        return counts;
    }

    /// <summary>A column whose description changed (a Jira field renamed since the last run) gets the new comment:
    /// the comment is where the field's current name is kept.</summary>
    private async Task RefreshCommentsAsync(TableSchema desired, Dictionary<string, ColumnType> existing, DbTransaction tx, CancellationToken ct)
    {
        var stored = new Dictionary<string, string?>(StringComparer.Ordinal);
        await using (var cmd = Command(ColumnCommentsQuery(desired.Stream), tx))
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
                if (!reader.IsDBNull(0)) stored[reader.GetString(0)] = reader.IsDBNull(1) ? null : reader.GetString(1);
        foreach (var c in desired.Columns)
            if (c.Description is { } d && existing.ContainsKey(c.Name) && stored.GetValueOrDefault(c.Name) != d)
                await CommentAsync(TableRef(desired.Stream), c, tx, ct);
    }

    private async Task CommentAsync(string table, ColumnSpec c, DbTransaction tx, CancellationToken ct)
    {
        if (c.Description is { } d) await ExecAsync($"COMMENT ON COLUMN {table}.{Ident(c.Name)} IS {Literal(d)}", tx, ct);
    }

    /// <summary>A command on the destination's connection.</summary>
    protected DbCommand Command(string sql, DbTransaction? tx)
    {
        var cmd = Connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        return cmd;
    }

    /// <summary>Runs a statement; returns the rows it affected.</summary>
    protected async Task<int> ExecAsync(string sql, DbTransaction? tx, CancellationToken ct)
    {
        await using var cmd = Command(sql, tx);
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Runs a query; returns its first value, null for SQL NULL.</summary>
    protected async Task<object?> ScalarAsync(string sql, DbTransaction? tx, CancellationToken ct)
    {
        await using var cmd = Command(sql, tx);
        var v = await cmd.ExecuteScalarAsync(ct);
        return v is DBNull ? null : v;
    }

    /// <summary>Closes the connection.</summary>
    public abstract ValueTask DisposeAsync();
}
