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
    /// transaction only.</summary>
    protected override Task BeginBatchAsync(DbTransaction tx, CancellationToken ct) =>
        ExecAsync("SET LOCAL enable_nestloop = off", tx, ct);

    /// <inheritdoc/>
    protected override Task PrepareSchemaAsync(CancellationToken ct) =>
        ExecAsync($"CREATE SCHEMA IF NOT EXISTS {SqlText.Ident(_schema)}", null, ct);

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
    protected override async Task WriteStagingAsync(string staging, TableSchema table, IEnumerable<object?[]> rows, DbTransaction tx, CancellationToken ct)
    {
        var columns = table.AllColumns.ToArray();
        var dbTypes = columns.Select(c => DbType(c.Type)).ToArray();
        await using var importer = await _connection.BeginBinaryImportAsync(
            $"COPY {SqlText.Ident(staging)} ({SqlText.ColumnList(columns.Select(c => c.Name))}) FROM STDIN (FORMAT BINARY)", ct);
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
