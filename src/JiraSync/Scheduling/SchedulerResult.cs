using JiraSync.Errors;
using JiraSync.Runs;

namespace JiraSync.Scheduling;

/// <summary>Totals of a scheduler session, for the closing log line and the exit code.</summary>
/// <param name="Runs">Runs started.</param>
/// <param name="Failed">Runs that failed.</param>
/// <param name="SkippedStarts">Fire times skipped because a run was still going.</param>
/// <param name="StoppedBySignal">SIGINT/SIGTERM ended the session.</param>
/// <param name="Last">The last run's outcome; null when no run started.</param>
public sealed record SchedulerResult(int Runs, int Failed, int SkippedStarts, bool StoppedBySignal, RunOutcome? Last)
{
    /// <summary>0 when every run succeeded (or was cancelled by a signal), else the last failing run's code.</summary>
    public int ExitCode => Failed == 0 ? ExitCodes.Success
        : Last is { Status: RunStatus.Failed } last ? last.ExitCode : ExitCodes.RunFailed;
}
