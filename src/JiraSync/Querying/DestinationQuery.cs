using System.Data.Common;
using DuckDB.NET.Data;
using JiraSync.Errors;
using JiraSync.Loading;
using JiraSync.Loading.Destinations;
using Npgsql;

namespace JiraSync.Querying;

/// <summary>
/// Read-only SQL on a destination (`jirasync query`): a DuckDB file opened with <c>access_mode=READ_ONLY</c>, a
/// PostgreSQL connection with its search path on the destination schema and read-only transactions, or a
/// <c>jsonl:</c> folder seen through an in-memory DuckDB with one view per <c>STREAM.jsonl</c> file
/// (DuckDB's <c>read_json</c>). Nothing a query runs can change the destination.
/// </summary>
public static class DestinationQuery
{
    /// <summary>Opens a read-only connection to <paramref name="uri"/>'s data (its provider's
    /// <see cref="Loading.Destinations.IDestinationProvider.OpenQueryAsync"/>). Throws <see cref="ConfigException"/>
    /// when the DuckDB file or jsonl folder does not exist (a mistyped path must not create one) or is the wrong kind of
    /// path, <see cref="DestinationOpenException"/> when the file is not a DuckDB database, <see cref="RunFailedException"/> when the database cannot be opened (in use, unreachable, login refused).</summary>
    /// <param name="uri">The parsed --destination.</param>
    /// <param name="ct">Cancels the operation.</param>
    public static async Task<DbConnection> OpenAsync(DestinationUri uri, CancellationToken ct = default)
    {
        uri.RequireExisting();
        // A file that is not a DuckDB database: the same line as sync's (exit 2). A jsonl folder opens an in-memory DuckDB.
        try { return await uri.Provider.OpenQueryAsync(uri, ct); }
        catch (Exception e) when (uri.Scheme == "duckdb" && DestinationOpenException.IsOpenFailure(uri, e)) { throw DestinationOpenException.From(uri, e); }
    }

    /// <summary>Runs <paramref name="sql"/>. A query the database refuses (syntax, unknown table, a write on the
    /// read-only connection) is a <see cref="ConfigException"/> (exit 2) carrying the first line of the database's own
    /// message; so is an error met while reading rows (<see cref="QueryResult.ReadAsync"/>: use <see cref="IsDatabaseError"/>
    /// and <see cref="Refused"/>).</summary>
    /// <param name="connection">A connection from <see cref="OpenAsync"/>.</param>
    /// <param name="sql">One SQL statement in the destination's dialect (DuckDB or PostgreSQL).</param>
    /// <param name="ct">Cancels the operation.</param>
    public static async Task<QueryResult> ExecuteAsync(DbConnection connection, string sql, CancellationToken ct = default)
    {
        // DuckDB.NET reports a JSON column as VARCHAR; DESCRIBE names its declared type (and runs nothing).
        var jsonNames = connection is DuckDBConnection ? await DuckDbJsonColumnsAsync(connection, sql, ct) : [];
        var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        try
        {
            var reader = await cmd.ExecuteReaderAsync(ct);
            var columns = Enumerable.Range(0, reader.FieldCount).Select(i => new QueryColumn(reader.GetName(i),
                reader.GetDataTypeName(i) is "json" or "jsonb" || jsonNames.Contains(i),
                Type.GetTypeCode(reader.GetFieldType(i)) is >= TypeCode.SByte and <= TypeCode.Decimal || reader.GetFieldType(i) == typeof(System.Numerics.BigInteger)))
                .ToList();
            return new QueryResult(reader, columns);
        }
        catch (Exception e) when (IsDatabaseError(e))
        {
            throw Refused(e);
        }
    }

    /// <summary>True for an error the database raised about the query (as opposed to a lost connection).</summary>
    /// <param name="e">Any exception from a query.</param>
    public static bool IsDatabaseError(Exception e) => e is DuckDBException or PostgresException;

    private static async Task<HashSet<int>> DuckDbJsonColumnsAsync(DbConnection connection, string sql, CancellationToken ct)
    {
        var json = new HashSet<int>();
        try
        {
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = "DESCRIBE " + sql;
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            for (var i = 0; await reader.ReadAsync(ct); i++)
                if (reader.GetString(1).Equals("JSON", StringComparison.OrdinalIgnoreCase)) json.Add(i);
        }
        catch (DuckDBException) { } // not a statement DESCRIBE takes (PRAGMA, SHOW, several statements): plain text then
        return json;
    }

    /// <summary>The database's own one-line reason for refusing a query, as exit 2.</summary>
    /// <param name="e">An exception for which <see cref="IsDatabaseError"/> is true.</param>
    public static ConfigException Refused(Exception e) => new($"query failed: {FirstLine(e is PostgresException p ? $"{p.MessageText} (SQLSTATE {p.SqlState})" : e.Message)}", e);

    /// <summary>The tables of the destination with their row counts, then its views (without counts: a view may be
    /// expensive to run). Ordered by kind, then name. The run-history and state tables are included.</summary>
    /// <param name="connection">A connection from <see cref="OpenAsync"/>.</param>
    /// <param name="ct">Cancels the operation.</param>
    public static async Task<IReadOnlyList<TableInfo>> ListAsync(DbConnection connection, CancellationToken ct = default)
    {
        var found = new List<(string Name, bool IsView)>();
        await using (var cmd = connection.CreateCommand())
        {
            // information_schema is standard in both: current_schema() is "main" in DuckDB (and for jsonl's views),
            // the destination schema in PostgreSQL (first on the search path set at open).
            cmd.CommandText = "SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name";
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                found.Add((reader.GetString(0), reader.GetString(1).Contains("VIEW", StringComparison.OrdinalIgnoreCase)));
        }
        var result = new List<TableInfo>();
        foreach (var (name, isView) in found.OrderBy(t => t.IsView).ThenBy(t => t.Name, StringComparer.Ordinal))
        {
            long? rows = null;
            if (!isView)
            {
                await using var cmd = connection.CreateCommand();
                cmd.CommandText = $"SELECT count(*) FROM {SqlText.Ident(name)}";
                rows = Convert.ToInt64(await cmd.ExecuteScalarAsync(ct));
            }
            result.Add(new TableInfo(name, isView, rows));
        }
        return result;
    }

    private static async Task ExecAsync(DbConnection c, string sql, CancellationToken ct)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static string FirstLine(string s) => s.Split('\n', 2)[0].Trim();
}

/// <summary>A table or view of the destination; <paramref name="Rows"/> is null for views.</summary>
/// <param name="Name">The table or view name, unqualified.</param>
/// <param name="IsView">True for a view (e.g. the analytics views).</param>
/// <param name="Rows">Row count of a table, live and marked-deleted rows alike.</param>
public sealed record TableInfo(string Name, bool IsView, long? Rows);
