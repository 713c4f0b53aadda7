using JiraSync.Errors;
using JiraSync.Runs;

namespace JiraSync.Scheduling;

/// <summary>Totals of a scheduler session, for the closing log line and the exit code.</summary>
public sealed record SchedulerResult(int Runs, int Failed, int SkippedStarts, bool StoppedBySignal, RunOutcome? Last)
{
    /// <summary>0 when every run succeeded (or was cancelled by a signal), else the last failing run's code.</summary>
    public int ExitCode => Failed == 0 ? ExitCodes.Success
        : Last is { Status: RunStatus.Failed } last ? last.ExitCode : ExitCodes.RunFailed;
}
