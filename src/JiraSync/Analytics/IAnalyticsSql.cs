using System.Data.Common;
using JiraSync.Loading;

namespace JiraSync.Analytics;

/// <summary>The SQL dialects analytics writes for; view text differs only where the two databases do.</summary>
internal enum SqlDialect { DuckDb, Postgres }

/// <summary>
/// What the analytics layer needs from a SQL destination, bound to one transaction (or none, after a load):
/// statements, a reader, table references and types in the destination's dialect, and its bulk write. The
/// destination provides it; analytics holds no connection of its own.
/// </summary>
internal interface IAnalyticsSql
{
    SqlDialect Dialect { get; }

    /// <summary>Quoted, schema-qualified table name.</summary>
    string TableRef(string table);

    /// <summary>The dialect's name for a column type.</summary>
    string TypeName(ColumnType type);

    /// <summary>Existing columns (name → type) of a table, or null when it does not exist.</summary>
    Task<Dictionary<string, ColumnType>?> ColumnsAsync(string table, CancellationToken ct);

    /// <summary>Column comments of a table (name → comment); the issues table's flattened field columns carry the
    /// field's current name.</summary>
    Task<Dictionary<string, string>> ColumnCommentsAsync(string table, CancellationToken ct);

    Task<int> ExecAsync(string sql, CancellationToken ct);

    /// <summary>Runs a query and calls <paramref name="row"/> for each row (the reader and its command are disposed after).</summary>
    Task ReadAsync(string sql, Action<DbDataReader> row, CancellationToken ct);

    /// <summary>Appends rows (in <see cref="TableSchema.AllColumns"/> order) to an existing table.</summary>
    Task InsertAsync(TableSchema table, IEnumerable<object?[]> rows, CancellationToken ct);
}
