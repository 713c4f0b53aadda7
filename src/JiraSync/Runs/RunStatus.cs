namespace JiraSync.Runs;

/// <summary>The state of a run as stored in `_jirasync_runs.status` (lower case there).</summary>
public enum RunStatus
{
    /// <summary>Started and not finished yet, or the process died (see <see cref="Interrupted"/>).</summary>
    Running,
    Succeeded,
    /// <summary>Ended with an error: auth, connection, or a stream that failed after retries.</summary>
    Failed,
    /// <summary>Stopped by SIGINT/SIGTERM after finishing the batch in flight.</summary>
    Cancelled,
    /// <summary>Found still "running" by a later run holding the destination lock: its process died mid-run.</summary>
    Interrupted,
}

public static class RunStatusText
{
    public static string ToText(this RunStatus status) => status.ToString().ToLowerInvariant();

    public static RunStatus Parse(string text) =>
        Enum.TryParse<RunStatus>(text, ignoreCase: true, out var s) ? s : RunStatus.Failed;
}
