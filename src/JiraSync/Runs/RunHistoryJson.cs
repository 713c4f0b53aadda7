using System.Text.Json.Nodes;

namespace JiraSync.Runs;

/// <summary>`jirasync runs --json`: the same figures as the tables, snake_case like the tables' columns.</summary>
public static class RunHistoryJson
{
    /// <summary>The document `runs --json` prints: destination, runs newest first (each with its reconciliation
    /// verdict or null) and row usage.</summary>
    /// <param name="h">The history read by <see cref="RunHistory.ReadAsync"/>.</param>
    /// <param name="destination">The destination's redacted description.</param>
    public static JsonObject Of(RunHistory h, string destination) => new()
    {
        ["destination"] = destination,
        ["runs"] = new JsonArray(h.Runs.Select(r =>
        {
            var o = Run(r, h.StreamsOf(r.RunId).ToList(), withStreams: false);
            var rows = h.ReconciliationOf(r.RunId).ToList();
            o["reconciliation_verdict"] = rows.Count == 0 ? null : JiraSync.Reconciliation.ReconciliationVerdictText.ToText(rows.Max(x => x.Verdict));
            return (JsonNode)o;
        }).ToArray()),
        ["row_usage"] = Usage(h.Usage),
    };

    /// <summary>One run as JSON: times in ISO 8601 UTC, durations in seconds, record and row totals over its streams.</summary>
    /// <param name="r">The run.</param>
    /// <param name="streams">Its stream rows.</param>
    /// <param name="withStreams">Also list the stream rows under "streams" (`runs RUN_ID --json`).</param>
    public static JsonObject Run(RunRecord r, IReadOnlyList<RunStreamRecord> streams, bool withStreams)
    {
        var o = new JsonObject
        {
            ["run_id"] = r.RunId,
            ["started_at"] = r.StartedAt.UtcDateTime.ToString("O"),
            ["finished_at"] = r.FinishedAt?.UtcDateTime.ToString("O"),
            ["duration_seconds"] = r.Duration is { } d ? Math.Round(d.TotalSeconds, 3) : null,
            ["status"] = r.Status.ToText(),
            ["error"] = r.Error,
            ["trigger"] = r.Trigger,
            ["source"] = r.Source,
            ["config_fingerprint"] = r.ConfigFingerprint,
            ["records_extracted"] = streams.Sum(s => s.RecordsExtracted),
            ["rows_loaded"] = streams.Sum(s => s.RowsLoaded),
            ["http_requests"] = r.HttpRequests,
            ["retries"] = r.Retries,
            ["rate_limited"] = r.RateLimited,
            ["bytes"] = r.Bytes,
            ["log_path"] = r.LogPath,
        };
        if (withStreams)
            o["streams"] = new JsonArray(streams.Select(s => (JsonNode)new JsonObject
            {
                ["stream"] = s.Stream,
                ["status"] = s.Status.ToText(),
                ["error"] = s.Error,
                ["records_extracted"] = s.RecordsExtracted,
                ["rows_inserted"] = s.RowsInserted,
                ["rows_updated"] = s.RowsUpdated,
                ["rows_deleted"] = s.RowsDeleted,
                ["http_requests"] = s.HttpRequests,
                ["retries"] = s.Retries,
                ["rate_limited"] = s.RateLimited,
                ["bytes"] = s.Bytes,
                ["duration_seconds"] = Math.Round(s.Duration.TotalSeconds, 3),
                ["bookmark_before"] = s.BookmarkBefore,
                ["bookmark_after"] = s.BookmarkAfter,
            }).ToArray());
        return o;
    }

    /// <summary>A run's reconciliation: its verdict and one object per row (null when the run has none).</summary>
    /// <param name="rows">The run's reconciliation rows.</param>
    public static JsonObject? Reconciliation(IReadOnlyList<JiraSync.Reconciliation.ReconciliationRow> rows) => rows.Count == 0 ? null : new JsonObject
    {
        ["verdict"] = JiraSync.Reconciliation.ReconciliationVerdictText.ToText(rows.Max(r => r.Verdict)),
        ["tables"] = new JsonArray(rows.Select(r => (JsonNode)new JsonObject
        {
            ["table"] = r.Table,
            ["scope"] = r.Scope,
            ["jira_count"] = r.JiraCount,
            ["row_count"] = r.RowCount,
            ["verdict"] = JiraSync.Reconciliation.ReconciliationVerdictText.ToText(r.Verdict),
            ["note"] = r.Note,
            ["affected_keys"] = new JsonArray(r.AffectedKeys.Select(k => (JsonNode)k).ToArray()),
        }).ToArray()),
    };

    private static JsonObject Usage(RowUsage u) => new()
    {
        ["today"] = u.Today.ToString("yyyy-MM-dd"),
        ["month_to_date"] = new JsonObject(u.MonthToDate.Select(t => KeyValuePair.Create(t.Stream, (JsonNode?)t.Rows))),
        ["month_total"] = u.MonthTotal,
        ["per_day"] = new JsonArray(u.Days.Select(d => (JsonNode)new JsonObject
        {
            ["date"] = d.Date.ToString("yyyy-MM-dd"), ["stream"] = d.Stream, ["rows"] = d.Rows,
        }).ToArray()),
    };
}
