namespace JiraSync.Runs;

/// <summary>One row of `_jirasync_run_streams`: what a run did for one stream (the loading report line).</summary>
public sealed record RunStreamRecord
{
    /// <summary>The run this row belongs to (<see cref="RunRecord.RunId"/>).</summary>
    public required string RunId { get; init; }
    /// <summary>The Singer stream (tap-jira name, e.g. "issues"), which is also the table name.</summary>
    public required string Stream { get; init; }
    /// <summary>How the stream ended in this run.</summary>
    public RunStatus Status { get; init; } = RunStatus.Succeeded;
    /// <summary>One line, without secrets, when the stream failed.</summary>
    public string? Error { get; init; }
    /// <summary>RECORD messages the loader received for the stream (before de-duplication by key).</summary>
    public long RecordsExtracted { get; init; }
    /// <summary>Rows whose key was new to the table.</summary>
    public long RowsInserted { get; init; }
    /// <summary>Rows whose key was already in the table.</summary>
    public long RowsUpdated { get; init; }
    /// <summary>Rows given `_sdc_deleted_at` by this run (deleted in Jira, or missing from a full-table stream).</summary>
    public long RowsDeleted { get; init; }
    /// <summary>HTTP requests sent while the stream's extraction unit ran (the issue family's sweep counts under
    /// "issues"; its child streams show 0). <see cref="RunRecord.HttpRequests"/> holds the run's exact total.</summary>
    public long HttpRequests { get; init; }
    /// <summary>Retried requests in the stream's unit (see <see cref="HttpRequests"/>).</summary>
    public long Retries { get; init; }
    /// <summary>429 responses in the stream's unit (see <see cref="HttpRequests"/>).</summary>
    public long RateLimited { get; init; }
    /// <summary>Response body bytes in the stream's unit (see <see cref="HttpRequests"/>).</summary>
    public long Bytes { get; init; }
    /// <summary>Extraction time of the stream's unit (stored as milliseconds; zero for the issue family's child streams).</summary>
    public TimeSpan Duration { get; init; }
    /// <summary>The stream's bookmark (replication key value or cursor JSON) when the run began and ended.</summary>
    public string? BookmarkBefore { get; init; }
    /// <inheritdoc cref="BookmarkBefore"/>
    public string? BookmarkAfter { get; init; }
    /// <summary>When the stream finished (UTC); row usage dates rows by it.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>Rows written to the destination: what row usage counts (see <see cref="RowUsage"/>).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public long RowsLoaded => RowsInserted + RowsUpdated + RowsDeleted;
}
