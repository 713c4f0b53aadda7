using JiraSync.Loading;
using JiraSync.Logging;

namespace JiraSync.Analytics;

/// <summary>
/// The analytics layer as the loader sees it: an <see cref="ISqlBatchHook"/> that rebuilds the field history of the
/// issues each batch touched, inside the batch's transaction, and refreshes the views after the load. One instance
/// per load (it remembers field names between batches). Environment variable <c>JIRASYNC_ANALYTICS=off</c> turns it
/// into a no-op (docs/analytics.md).
/// </summary>
public sealed class AnalyticsHook : ISqlBatchHook
{
    private readonly FieldHistoryUpdater _history = new();

    /// <summary>The hooks a Jira load registers: this one, unless JIRASYNC_ANALYTICS=off.</summary>
    public static IReadOnlyList<ISqlBatchHook> ForJiraLoads() =>
        string.Equals(Environment.GetEnvironmentVariable("JIRASYNC_ANALYTICS"), "off", StringComparison.OrdinalIgnoreCase) ? [] : [new AnalyticsHook()];

    /// <inheritdoc/>
    public Task AfterBatchWrittenAsync(SqlBatchContext context, CancellationToken ct) =>
        _history.AfterBatchAsync(new DialectSql(context.Connection, context.Transaction, context.Dialect), context.Batch, ct);

    /// <inheritdoc/>
    public async Task AfterLoadAsync(SqlLoadContext context, CancellationToken ct)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var sql = new DialectSql(context.Connection, null, context.Dialect);
        // Partitioned syncs end at about the same time: one view refresh at a time (concurrent CREATE OR REPLACE VIEW fails).
        var lockKey = sql.Dialect == SqlDialect.Postgres ? SchemaChangeLock.Analytics(sql.TableRef(HistoryTables.FieldHistory)) : null;
        if (lockKey != null) await sql.ExecAsync($"SELECT pg_advisory_lock({lockKey})", ct);
        try { await AnalyticsViews.RefreshAsync(sql, context.Log, ct); }
        finally { if (lockKey != null) await sql.ExecAsync($"SELECT pg_advisory_unlock({lockKey})", CancellationToken.None); }
        if (_history.IssuesRebuilt > 0)
            context.Log.Info($"analytics: history of {_history.IssuesRebuilt} issues rebuilt in {_history.Elapsed.TotalSeconds:0.00} s; views refreshed in {clock.Elapsed.TotalSeconds:0.00} s");
    }
}
