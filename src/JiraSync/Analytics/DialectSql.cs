using System.Data.Common;
using JiraSync.Loading;

namespace JiraSync.Analytics;

/// <summary><see cref="IAnalyticsSql"/> over a SQL destination's connection, transaction (null after a load) and
/// dialect, as a <see cref="ISqlBatchHook"/> receives them.</summary>
internal sealed class DialectSql(DbConnection connection, DbTransaction? tx, ISqlDialect dialect) : IAnalyticsSql
{
    public SqlDialect Dialect => dialect.Name == "postgres" ? SqlDialect.Postgres : SqlDialect.DuckDb;
    public string TableRef(string table) => dialect.TableRef(table);
    public string TypeName(ColumnType type) => dialect.TypeName(type);

    public async Task<Dictionary<string, ColumnType>?> ColumnsAsync(string table, CancellationToken ct) =>
        await dialect.ColumnsAsync(table, tx, ct) is { } columns ? new Dictionary<string, ColumnType>(columns) : null;

    public async Task<int> ExecAsync(string sql, CancellationToken ct)
    {
        await using var cmd = Command(sql);
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task ReadAsync(string sql, Action<DbDataReader> row, CancellationToken ct)
    {
        await using var cmd = Command(sql);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) row(reader);
    }

    public async Task<Dictionary<string, string>> ColumnCommentsAsync(string table, CancellationToken ct)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        await ReadAsync(dialect.ColumnCommentsQuery(table), r =>
        {
            if (!r.IsDBNull(0) && !r.IsDBNull(1)) result[r.GetString(0)] = r.GetString(1);
        }, ct);
        return result;
    }

    public Task InsertAsync(TableSchema table, IEnumerable<object?[]> rows, CancellationToken ct) =>
        dialect.AppendRowsAsync(table, rows, tx ?? throw new InvalidOperationException("bulk inserts run inside a batch's transaction"), ct);

    private DbCommand Command(string sql)
    {
        var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        return cmd;
    }
}
