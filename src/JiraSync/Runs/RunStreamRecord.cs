namespace JiraSync.Runs;

/// <summary>One row of `_jirasync_run_streams`: what a run did for one stream (the loading report line).</summary>
public sealed record RunStreamRecord
{
    public required string RunId { get; init; }
    public required string Stream { get; init; }
    public RunStatus Status { get; init; } = RunStatus.Succeeded;
    public string? Error { get; init; }
    public long RecordsExtracted { get; init; }
    public long RowsInserted { get; init; }
    public long RowsUpdated { get; init; }
    /// <summary>Rows given `_sdc_deleted_at` by this run (deleted in Jira, or missing from a full-table stream).</summary>
    public long RowsDeleted { get; init; }
    public long HttpRequests { get; init; }
    public long Retries { get; init; }
    public long RateLimited { get; init; }
    public long Bytes { get; init; }
    public TimeSpan Duration { get; init; }
    /// <summary>The stream's bookmark (replication key value or cursor JSON) when the run began and ended.</summary>
    public string? BookmarkBefore { get; init; }
    public string? BookmarkAfter { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>Rows written to the destination: what row usage counts (see <see cref="RowUsage"/>).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public long RowsLoaded => RowsInserted + RowsUpdated + RowsDeleted;
}
