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

    private DuckDbDestination(DuckDBConnection connection, string path, ILog log) : base(log)
    {
        _connection = connection;
        _path = path;
    }

    /// <summary>Opens (creating if needed) the DuckDB file at <paramref name="path"/>, its directory too; session time zone UTC.
    /// Throws <see cref="ConfigException"/> when the directory cannot be created, <see cref="RunFailedException"/> when the file cannot be opened (e.g. held by another process).</summary>
    public static async Task<DuckDbDestination> OpenAsync(string path, ILog log, CancellationToken ct = default)
    {
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
            var d = new DuckDbDestination(connection, path, log);
            // Timestamps are stored as instants; UTC keeps casts and text renderings independent of the machine.
            await d.ExecAsync("SET TimeZone = 'UTC'", null, ct);
            // Checkpoint (rewrite the database file from the WAL) every 256 MB of changes rather than 16 MB: a large
            // sync then writes its data a few times instead of at every batch. Committed batches are in the WAL either way.
            await d.ExecAsync("SET checkpoint_threshold = '256MB'", null, ct);
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
