using System.Data.Common;
using JiraSync.Analytics;
using JiraSync.Logging;
using static JiraSync.Loading.SqlText;

namespace JiraSync.Loading;

/// <summary>The analytics hook of the SQL destinations: after a batch's rows are written, in the same transaction,
/// the field history of the issues it touched is rebuilt; after a load, the analytics views are refreshed.</summary>
public abstract partial class SqlDestination
{
    private const string AnalyticsStaging = "_jirasync_analytics_staging";
    private readonly FieldHistoryUpdater _history = new();

    /// <summary>Which SQL the analytics views are written in.</summary>
    protected abstract SqlDialect Dialect { get; }

    /// <summary>A query returning (column name, comment) for each column of a table.</summary>
    protected abstract string ColumnCommentsQuery(string table);

    /// <summary>JIRASYNC_ANALYTICS=off skips the history tables and views (docs/analytics.md).</summary>
    private static readonly bool AnalyticsOff =
        string.Equals(Environment.GetEnvironmentVariable("JIRASYNC_ANALYTICS"), "off", StringComparison.OrdinalIgnoreCase);

    private Task AfterRowsWrittenAsync(LoadBatch batch, DbTransaction tx, CancellationToken ct) =>
        AnalyticsOff ? Task.CompletedTask : _history.AfterBatchAsync(new AnalyticsSession(this, tx), batch, ct);

    public async Task AfterLoadAsync(CancellationToken ct = default)
    {
        if (AnalyticsOff) return;
        await PrepareAsync(ct);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await AnalyticsViews.RefreshAsync(new AnalyticsSession(this, null), Log, ct);
        if (_history.IssuesRebuilt > 0)
            Log.Info($"analytics: history of {_history.IssuesRebuilt} issues rebuilt in {_history.Elapsed.TotalSeconds:0.00} s; views refreshed in {clock.Elapsed.TotalSeconds:0.00} s");
    }

    /// <summary>This destination's connection and transaction as analytics sees them.</summary>
    private sealed class AnalyticsSession(SqlDestination d, DbTransaction? tx) : IAnalyticsSql
    {
        public SqlDialect Dialect => d.Dialect;
        public string TableRef(string table) => d.TableRef(table);
        public string TypeName(ColumnType type) => d.TypeName(type);
        public Task<Dictionary<string, ColumnType>?> ColumnsAsync(string table, CancellationToken ct) => d.ReadColumnsAsync(table, tx, ct);
        public Task<int> ExecAsync(string sql, CancellationToken ct) => d.ExecAsync(sql, tx, ct);

        public async Task ReadAsync(string sql, Action<DbDataReader> row, CancellationToken ct)
        {
            await using var cmd = d.Command(sql, tx);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) row(reader);
        }

        public async Task<Dictionary<string, string>> ColumnCommentsAsync(string table, CancellationToken ct)
        {
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            await ReadAsync(d.ColumnCommentsQuery(table), r =>
            {
                if (!r.IsDBNull(0) && !r.IsDBNull(1)) result[r.GetString(0)] = r.GetString(1);
            }, ct);
            return result;
        }

        public async Task InsertAsync(TableSchema table, IEnumerable<object?[]> rows, CancellationToken ct)
        {
            if (tx is null) throw new InvalidOperationException("bulk inserts run inside a batch's transaction");
            await d.ExecAsync($"CREATE TEMP TABLE {Ident(AnalyticsStaging)} ({string.Join(", ", table.AllColumns.Select(c => $"{Ident(c.Name)} {d.TypeName(c.Type)}"))})", tx, ct);
            await d.WriteStagingAsync(AnalyticsStaging, table, rows, tx, ct);
            var names = ColumnList(table.AllColumns.Select(c => c.Name));
            await d.ExecAsync($"INSERT INTO {d.TableRef(table.Stream)} ({names}) SELECT {names} FROM {Ident(AnalyticsStaging)}", tx, ct);
            await d.ExecAsync($"DROP TABLE {Ident(AnalyticsStaging)}", tx, ct);
        }
    }
}
