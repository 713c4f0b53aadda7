using System.Data.Common;
using DuckDB.NET.Data;
using JiraSync.Errors;

namespace JiraSync.Loading.Destinations.DuckDb;

/// <summary>Read-only DuckDB connections for `jirasync query`: a destination file, or an in-memory database over a
/// jsonl folder's files (DuckDB's <c>read_json</c>).</summary>
internal static class DuckDbQueryConnections
{
    /// <summary>Opens a DuckDB connection (session time zone UTC); a file in use by another process is one line.</summary>
    public static async Task<DbConnection> OpenAsync(string connectionString, string what, CancellationToken ct)
    {
        var c = new DuckDBConnection(connectionString);
        try
        {
            await c.OpenAsync(ct);
            // Timestamps print as UTC whatever the machine's zone, as the loader writes them.
            await ExecAsync(c, "SET TimeZone = 'UTC'", ct);
            return c;
        }
        catch (DuckDBException e)
        {
            await c.DisposeAsync();
            // DuckDB lets one process open a file at a time: a sync running elsewhere holds it until it finishes.
            throw new RunFailedException(e.Message.Contains("lock", StringComparison.OrdinalIgnoreCase)
                ? $"the DuckDB file {what} is in use by another process (a sync running?); try again when it has finished"
                : $"cannot open DuckDB database {what}: {FirstLine(e.Message)}", e);
        }
    }

    /// <summary>An in-memory DuckDB with a view per non-empty <c>STREAM.jsonl</c> of <paramref name="dir"/> (jsonl destinations).</summary>
    public static async Task<DbConnection> OpenJsonlFolderAsync(string dir, CancellationToken ct)
    {
        var memory = await OpenAsync("Data Source=:memory:", dir, ct);
        foreach (var path in Directory.EnumerateFiles(dir, "*.jsonl").Order(StringComparer.Ordinal))
        {
            if (new FileInfo(path).Length == 0) continue; // read_json cannot infer columns from nothing
            var name = Path.GetFileNameWithoutExtension(path);
            // Every line is read to infer the columns (sample_size=-1): records of one stream differ in which keys they carry.
            try { await ExecAsync(memory, $"CREATE VIEW {SqlText.Ident(name)} AS SELECT * FROM read_json({SqlText.Literal(path)}, format = 'newline_delimited', sample_size = -1)", ct); }
            catch (DuckDBException e)
            {
                await memory.DisposeAsync();
                throw new RunFailedException($"cannot read {path} with DuckDB's read_json: {FirstLine(e.Message)}", e);
            }
        }
        return memory;
    }

    private static async Task ExecAsync(DbConnection c, string sql, CancellationToken ct)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static string FirstLine(string s) => s.Split('\n', 2)[0].Trim();
}
