using System.Data.Common;
using DuckDB.NET.Data;
using JiraSync.Errors;
using JiraSync.Logging;

namespace JiraSync.Loading.Destinations.DuckDb;

/// <summary>A DuckDB database file (embedded, one writer process at a time). Rows go through DuckDB's
/// appender into a temporary staging table, then one upsert per stream and batch.</summary>
internal sealed class DuckDbDestination : SqlDestination
{
    private readonly DuckDBConnection _connection;
    private readonly string _path;
    private readonly DuckDbSettings _settings;

    private DuckDbDestination(DuckDBConnection connection, string path, DuckDbSettings settings, ILog log) : base(log)
    {
        _connection = connection;
        _path = path;
        _settings = settings;
    }

    /// <inheritdoc/>
    /// <remarks>A batch that does not fit DuckDB's <c>memory_limit</c> fails with one line saying which option to
    /// raise (<see cref="RunFailedException"/>); its transaction is rolled back, committed batches stay.</remarks>
    public override async Task<IReadOnlyDictionary<string, StreamCounts>> CommitAsync(LoadBatch batch, CancellationToken ct = default)
    {
        try { return await base.CommitAsync(batch, ct); }
        catch (DuckDBException e) when (IsOutOfMemory(e)) { throw OutOfMemory($"for batch {batch.Number} (it keeps the primary-key indexes in memory)", e); }
    }

    /// <inheritdoc/>
    /// <remarks>Out of <c>memory_limit</c>: <see cref="RunFailedException"/> naming the option, as for a batch.</remarks>
    public override async Task<TableSchema> ApplySchemaAsync(TableSchema desired, CancellationToken ct = default)
    {
        try { return await base.ApplySchemaAsync(desired, ct); }
        catch (DuckDBException e) when (IsOutOfMemory(e)) { throw OutOfMemory($"to create or alter table {desired.Stream}", e); }
    }

    /// <inheritdoc/>
    /// <remarks>Out of <c>memory_limit</c>: <see cref="RunFailedException"/> naming the option, as for a batch.</remarks>
    public override async Task<System.Text.Json.Nodes.JsonObject?> ReadStateAsync(CancellationToken ct = default)
    {
        try { return await base.ReadStateAsync(ct); }
        catch (DuckDBException e) when (IsOutOfMemory(e)) { throw OutOfMemory("to read the saved state", e); }
    }

    /// <inheritdoc/>
    /// <remarks>Out of <c>memory_limit</c>: <see cref="RunFailedException"/> naming the option, as for a batch.</remarks>
    public override async Task WriteStateAsync(System.Text.Json.Nodes.JsonObject state, CancellationToken ct = default)
    {
        try { await base.WriteStateAsync(state, ct); }
        catch (DuckDBException e) when (IsOutOfMemory(e)) { throw OutOfMemory("to save the state", e); }
    }

    /// <inheritdoc/>
    /// <remarks>Out of <c>memory_limit</c>: <see cref="RunFailedException"/> naming the option, as for a batch.</remarks>
    public override async Task AfterLoadAsync(IReadOnlyList<ISqlBatchHook> hooks, CancellationToken ct = default)
    {
        try { await base.AfterLoadAsync(hooks, ct); }
        catch (DuckDBException e) when (IsOutOfMemory(e)) { throw OutOfMemory("for the analytics after the load", e); }
    }

    /// <summary>DuckDB's "Out of Memory Error" (an allocation past <c>memory_limit</c>) or "failed to pin block" (the
    /// buffer manager cannot keep a page in memory); both tell the user to <c>SET memory_limit</c>, which is ours to set.</summary>
    private static bool IsOutOfMemory(DuckDBException e) =>
        e.Message.Contains("Out of Memory", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("failed to pin block", StringComparison.Ordinal);

    /// <summary>One line naming the destination option and the value in force, in place of DuckDB's several lines about SQL.</summary>
    private RunFailedException OutOfMemory(string doing, DuckDBException e) =>
        new($"DuckDB needs more than its memory_limit of {_settings.MemoryLimit} {doing}; give a larger one with ?memory_limit= in the destination, " +
            $"e.g. --destination 'duckdb:{_path}?memory_limit=1GB'; the batches committed before are kept and the next run resumes from them", e);

    /// <summary>Opens (creating if needed) the DuckDB file at <paramref name="path"/>, its directory too; session time zone UTC.
    /// Throws <see cref="ConfigException"/> when the directory cannot be created, <see cref="RunFailedException"/> when the file cannot be opened (e.g. held by another process).</summary>
    /// <param name="path">The database file.</param>
    /// <param name="log">Where messages go.</param>
    /// <param name="ct">Cancels opening.</param>
    /// <param name="settings">DuckDB's memory limit and threads; null for <see cref="DuckDbSettings.Default"/>.</param>
    public static async Task<DuckDbDestination> OpenAsync(string path, ILog log, CancellationToken ct = default, DuckDbSettings? settings = null)
    {
        settings ??= DuckDbSettings.Default;
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full);
        try { if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"cannot create the directory of DuckDB database {path}: {e.Message}", e);
        }
        var connection = new DuckDBConnection($"Data Source={full}");
        try
        {
            await connection.OpenAsync(ct);
            var d = new DuckDbDestination(connection, path, settings, log);
            // Timestamps are stored as instants; UTC keeps casts and text renderings independent of the machine.
            await d.ExecAsync("SET TimeZone = 'UTC'", null, ct);
            // Checkpoint (rewrite the database file from the WAL) less often than DuckDB's 16 MB: a large sync then writes
            // its data a few times instead of at every batch. Committed batches are in the WAL either way.
            await d.ExecAsync($"SET checkpoint_threshold = {SqlText.Literal(settings.CheckpointThreshold)}", null, ct);
            // Bounded memory whatever the database's size (see DuckDbSettings).
            await d.ExecAsync($"SET memory_limit = {SqlText.Literal(settings.MemoryLimit)}", null, ct);
            await d.ExecAsync($"SET threads = {settings.Threads}", null, ct);
            // DuckDB's allocator (jemalloc) keeps freed pages until a task ends past allocator_flush_threshold; its background
            // thread returns them to the system as they age: 10k target peak RSS 576 → 495 MB, 449 → 314 MB at the end, for
            // CPU within the noise (bench/RESULTS.md). https://duckdb.org/docs/stable/core_extensions/jemalloc (background threads)
            await d.ExecAsync("SET allocator_background_threads = true", null, ct);
            return d;
        }
        catch (DuckDBException e)
        {
            await connection.DisposeAsync();
            throw new RunFailedException($"cannot open DuckDB database {path}: {FirstLine(e.Message)}", e);
        }
    }

    /// <inheritdoc/>
    protected override string DialectName => "duckdb";
    /// <inheritdoc/>
    protected override DbConnection Connection => _connection;
    /// <inheritdoc/>
    public override string Name => $"duckdb:{_path}";

    /// <inheritdoc/>
    public override string TypeName(ColumnType type) => type switch
    {
        ColumnType.Boolean => "BOOLEAN",
        ColumnType.BigInt => "BIGINT",
        ColumnType.Double => "DOUBLE",
        ColumnType.Date => "DATE",
        ColumnType.Timestamp => "TIMESTAMPTZ",
        ColumnType.Json => "JSON",
        _ => "VARCHAR",
    };

    /// <inheritdoc/>
    protected override ColumnType ParseType(string dataType) => dataType.ToUpperInvariant() switch
    {
        "BOOLEAN" => ColumnType.Boolean,
        "BIGINT" or "INTEGER" or "SMALLINT" => ColumnType.BigInt,
        "DOUBLE" or "FLOAT" => ColumnType.Double,
        "DATE" => ColumnType.Date,
        "TIMESTAMP WITH TIME ZONE" or "TIMESTAMPTZ" => ColumnType.Timestamp,
        "JSON" => ColumnType.Json,
        _ => ColumnType.Text,
    };

    /// <inheritdoc/>
    public override string TableRef(string table) => SqlText.Ident(table);

    /// <inheritdoc/>
    public override string ColumnCommentsQuery(string table) =>
        $"SELECT column_name, comment FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = 'main' AND table_name = {SqlText.Literal(table)}";

    /// <inheritdoc/>
    protected override string ColumnsOf(string table) =>
        $"table_catalog = current_database() AND table_schema = 'main' AND table_name = {SqlText.Literal(table)}";

    /// <inheritdoc/>
    protected override Task WriteStagingAsync(string staging, TableSchema table, IEnumerable<object?[]> rows, DbTransaction tx, CancellationToken ct)
    {
        var types = table.AllColumns.Select(c => c.Type).ToArray();
        using var appender = _connection.CreateAppender("temp", "main", staging);
        var n = 0;
        foreach (var values in rows)
        {
            var row = appender.CreateRow();
            for (var i = 0; i < values.Length; i++)
            {
                row = (values[i] is { } v ? NulCharacters.Remove(v, types[i]) : null) switch
                {
                    null => row.AppendNullValue(),
                    string s => row.AppendValue(s),
                    long l => row.AppendValue(l),
                    double d => row.AppendValue(d),
                    bool b => row.AppendValue(b),
                    DateOnly date => row.AppendValue(date),
                    DateTimeOffset t => row.AppendValue(t),
                    var other => throw new InvalidOperationException($"no appender mapping for {other.GetType().Name} ({types[i]})"),
                };
            }
            row.EndRow();
            if (++n == 10) TestPause.At("staging"); // mid-write of a batch, for the crash tests
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public override async ValueTask DisposeAsync() => await _connection.DisposeAsync();

    private static string FirstLine(string s) => s.Split('\n')[0].Trim();
}
