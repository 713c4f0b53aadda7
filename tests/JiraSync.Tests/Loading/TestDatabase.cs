using JiraSync.Loading.Destinations;
using System.Data.Common;
using DuckDB.NET.Data;
using JiraSync.Loading;
using JiraSync.Logging;
using Npgsql;

namespace JiraSync.Tests.Loading;

/// <summary>A fresh, real destination for one test: a DuckDB file in a temp directory, or a uniquely
/// named schema on the test PostgreSQL (JIRASYNC_TEST_PG, set by ./run-tests). Queries run on a separate
/// connection with unqualified table names (PostgreSQL's search_path points at the test schema).</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public string Kind { get; }
    public string Uri { get; }
    public string Dir { get; }
    private readonly string? _schema;
    private readonly string? _pg;

    public TestDatabase(string kind)
    {
        Kind = kind;
        Dir = Path.Combine(Path.GetTempPath(), "jirasync-load-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(Dir);
        switch (kind)
        {
            case "duckdb":
                Uri = "duckdb:" + Path.Combine(Dir, "test.duckdb");
                break;
            case "postgres":
                _pg = PostgresConnectionString;
                _schema = "t_" + Guid.NewGuid().ToString("N")[..12];
                Uri = _pg + ";schema=" + _schema;
                break;
            case "jsonl":
                Uri = "jsonl:" + Path.Combine(Dir, "out");
                break;
            default: throw new ArgumentException(kind);
        }
    }

    public static string PostgresConnectionString =>
        Environment.GetEnvironmentVariable("JIRASYNC_TEST_PG")
        ?? throw new InvalidOperationException("JIRASYNC_TEST_PG is not set: run the tests with ./run-tests (it starts PostgreSQL)");

    public string DuckDbPath => Uri["duckdb:".Length..];
    public string Schema => _schema ?? "main";

    public Task<IDestination> OpenAsync(ILog? log = null) => DestinationUri.Parse(Uri).OpenAsync(log ?? new MemoryLog());

    public async Task<DbConnection> ConnectAsync()
    {
        if (Kind == "duckdb")
        {
            var c = new DuckDBConnection($"Data Source={DuckDbPath}");
            await c.OpenAsync();
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "SET TimeZone='UTC'";
            await cmd.ExecuteNonQueryAsync();
            return c;
        }
        var pg = new NpgsqlConnection(_pg);
        await pg.OpenAsync();
        await using (var cmd = pg.CreateCommand())
        {
            cmd.CommandText = $"SET search_path TO \"{_schema}\"; SET TimeZone TO 'UTC'";
            await cmd.ExecuteNonQueryAsync();
        }
        return pg;
    }

    /// <summary>Rows as dictionaries (column → value, DBNull → null).</summary>
    public async Task<List<Dictionary<string, object?>>> QueryAsync(string sql)
    {
        await using var c = await ConnectAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<Dictionary<string, object?>>();
        while (await reader.ReadAsync())
        {
            var row = new Dictionary<string, object?>();
            for (var i = 0; i < reader.FieldCount; i++) row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    public async Task<object?> ScalarAsync(string sql) => (await QueryAsync(sql)).FirstOrDefault()?.Values.FirstOrDefault();

    /// <summary>Column name → normalized type (the destination's catalog name, lower case).</summary>
    public async Task<Dictionary<string, string>> ColumnTypesAsync(string table)
    {
        var rows = await QueryAsync($"SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = '{Schema}' AND table_name = '{table}'");
        return rows.ToDictionary(r => (string)r["column_name"]!, r => ((string)r["data_type"]!).ToLowerInvariant());
    }

    /// <summary>A column's comment, or null.</summary>
    public async Task<string?> ColumnCommentAsync(string table, string column) => (string?)await ScalarAsync(Kind == "postgres"
        ? $"SELECT col_description('{Schema}.{table}'::regclass, ordinal_position::int) FROM information_schema.columns WHERE table_schema = '{Schema}' AND table_name = '{table}' AND column_name = '{column}'"
        : $"SELECT comment FROM duckdb_columns() WHERE schema_name = '{Schema}' AND table_name = '{table}' AND column_name = '{column}'");

    public async ValueTask DisposeAsync()
    {
        if (_schema != null)
        {
            try
            {
                await using var c = new NpgsqlConnection(_pg);
                await c.OpenAsync();
                await using var cmd = c.CreateCommand();
                cmd.CommandText = $"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE";
                await cmd.ExecuteNonQueryAsync();
            }
            catch (NpgsqlException) { }
        }
        try { Directory.Delete(Dir, true); } catch (IOException) { }
    }
}
