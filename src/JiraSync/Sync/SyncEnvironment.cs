using JiraSync.Config;
using JiraSync.Jira;
using JiraSync.Loading;
using JiraSync.Logging;
using JiraSync.Runs;

namespace JiraSync.Sync;

/// <summary>What the program around a sync provides: where lines go, how progress is shown, how the Jira client is made.</summary>
public sealed record SyncEnvironment(ILog Console)
{
    /// <summary>Progress display (a live table on a terminal); null: none.</summary>
    public ISyncProgress? Progress { get; init; }

    /// <summary>Makes the Jira client from the config, the run's log and the options (the command line saves a rotated
    /// OAuth refresh token back into the config file); null: a plain <see cref="JiraClient"/>.</summary>
    public Func<JiraSyncConfig, ILog, JiraClientOptions, JiraClient>? CreateClient { get; init; }

    /// <summary>The progress display that shows nothing.</summary>
    public static ISyncProgress NoProgress { get; } = new Silent();

    private sealed class Silent : ISyncProgress
    {
        /// <inheritdoc/>
        public ILog Wrap(ILog log) => log;
        /// <inheritdoc/>
        public Task<LoadReport> RunAsync(Loader loader, JiraClientMetrics metrics, Func<Task<LoadReport>> work, RateLimitGate? gate = null,
            UnitClock? units = null) => work();
    }
}

/// <summary>Shows a sync's progress while it runs.</summary>
public interface ISyncProgress
{
    /// <summary>The log to use while the display runs (it may hold lines back that would tear a live display).</summary>
    ILog Wrap(ILog log);

    /// <summary>Starts <paramref name="work"/> and shows the loader's counts and the client's metrics (and, given the
    /// client's <paramref name="gate"/>, the rate-limit pause in force) until it ends; returns its report.</summary>
    /// <param name="loader">Its per-stream counts are shown.</param>
    /// <param name="metrics">The client's run totals.</param>
    /// <param name="work">The sync.</param>
    /// <param name="gate">The client's rate-limit gate (the pause left), or null.</param>
    /// <param name="units">Each unit's requests, retries and 429s so far, and which units run now; null: totals only.</param>
    Task<LoadReport> RunAsync(Loader loader, JiraClientMetrics metrics, Func<Task<LoadReport>> work, RateLimitGate? gate = null,
        UnitClock? units = null);
}

/// <summary>What a sync did.</summary>
/// <param name="Outcome">Succeeded or cancelled (a failure is thrown), with the run id when recorded.</param>
/// <param name="Report">Per-stream counts and the last committed state; null when nothing was loaded.</param>
/// <param name="Destination">The destination's printable name (no password).</param>
/// <param name="Metrics">The Jira client's request counters.</param>
/// <param name="Tables">Rows per loaded table when <see cref="SyncRequest.CountTables"/>, else empty.</param>
public sealed record SyncResult(
    Scheduling.RunOutcome Outcome, LoadReport? Report, string Destination, JiraClientMetrics Metrics, IReadOnlyList<TableRowCount> Tables);
