namespace JiraSync.Runs;

/// <summary>The state of a run as stored in `_jirasync_runs.status` (lower case there).</summary>
public enum RunStatus
{
    /// <summary>Started and not finished yet, or the process died (see <see cref="Interrupted"/>).</summary>
    Running,
    /// <summary>Finished without error (a stream row may still say the stream was skipped, and why).</summary>
    Succeeded,
    /// <summary>Ended with an error: auth, connection, or a stream that failed after retries.</summary>
    Failed,
    /// <summary>Stopped by SIGINT/SIGTERM after finishing the batch in flight.</summary>
    Cancelled,
    /// <summary>Found still "running" by a later run holding the destination lock: its process died mid-run.</summary>
    Interrupted,
}

/// <summary>The lower-case text of a <see cref="RunStatus"/> as stored and shown ("succeeded", "failed", …).</summary>
public static class RunStatusText
{
    /// <summary>The stored text of <paramref name="status"/>.</summary>
    /// <param name="status">The status to write.</param>
    public static string ToText(this RunStatus status) => status.ToString().ToLowerInvariant();

    /// <summary>Reads a stored status, any case; text it does not know reads as <see cref="RunStatus.Failed"/>.</summary>
    /// <param name="text">The stored text.</param>
    internal static RunStatus Parse(string text) =>
        Enum.TryParse<RunStatus>(text, ignoreCase: true, out var s) ? s : RunStatus.Failed;
}
