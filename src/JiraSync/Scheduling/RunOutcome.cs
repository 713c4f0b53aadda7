using JiraSync.Errors;
using JiraSync.Runs;

namespace JiraSync.Scheduling;

/// <summary>What one scheduled run reports back to the scheduler loop.</summary>
/// <param name="Status">Succeeded, Failed or Cancelled.</param>
/// <param name="Error">One line, no secrets, when not succeeded.</param>
/// <param name="ExitCode">The exit code the failure maps to (<see cref="ExitCodes"/>).</param>
/// <param name="RunId">The run's id when it was recorded in the run history.</param>
public sealed record RunOutcome(RunStatus Status, string? Error = null, int ExitCode = ExitCodes.Success, string? RunId = null)
{
    /// <summary>A succeeded run (its id when it was recorded).</summary>
    /// <param name="runId">The recorded run's id, if any.</param>
    public static RunOutcome Succeeded(string? runId = null) => new(RunStatus.Succeeded, RunId: runId);
}
