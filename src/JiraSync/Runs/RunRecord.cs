namespace JiraSync.Runs;

/// <summary>One row of `_jirasync_runs`: a sync run from start to finish.</summary>
public sealed record RunRecord
{
    /// <summary>Sortable and unique: "20261128T155121Z-3f9a" (UTC start time and 4 random hex digits).</summary>
    public required string RunId { get; init; }
    /// <summary>When the run began (stored in UTC).</summary>
    public required DateTimeOffset StartedAt { get; init; }
    /// <summary>When the run ended (UTC); null while it runs or when its process died.</summary>
    public DateTimeOffset? FinishedAt { get; init; }
    /// <summary>How the run ended; <see cref="RunStatus.Running"/> until it does.</summary>
    public RunStatus Status { get; init; } = RunStatus.Running;
    /// <summary>One line, never containing a secret (messages are built from setting names and redacted URLs).</summary>
    public string? Error { get; init; }
    /// <summary>Hash of the settings that shape the data (never of a secret): two runs with the same fingerprint
    /// extracted the same way. See <see cref="ConfigFingerprint"/>.</summary>
    public string? ConfigFingerprint { get; init; }
    /// <summary>"sync", "schedule", "target": what started the run.</summary>
    public string Trigger { get; init; } = "sync";
    /// <summary>The Jira site, for people reading the table (not secret).</summary>
    public string? Source { get; init; }
    /// <summary>The run's extraction log file, when it has one.</summary>
    public string? LogPath { get; init; }
    /// <summary>Jira client totals for the whole run (streams fetched concurrently share one client, so these are
    /// exact where per-stream figures can only be apportioned).</summary>
    public long HttpRequests { get; init; }
    /// <summary>Requests repeated after a 429, a transient 5xx, a timeout, a network error or a 401 that renewed the
    /// token (every attempt also counts in <see cref="HttpRequests"/>).</summary>
    public long Retries { get; init; }
    /// <summary>Responses with status 429 (Too Many Requests).</summary>
    public long RateLimited { get; init; }
    /// <summary>Response body bytes received from Jira.</summary>
    public long Bytes { get; init; }

    /// <summary>Wall-clock time from start to finish; null until the run finishes.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public TimeSpan? Duration => FinishedAt - StartedAt;
}
