using JiraSync.Errors;
using JiraSync.Runs;

namespace JiraSync.Scheduling;

/// <summary>What one scheduled run reports back to the scheduler loop.</summary>
public sealed record RunOutcome(RunStatus Status, string? Error = null, int ExitCode = ExitCodes.Success, string? RunId = null)
{
    /// <summary>A succeeded run (its id when it was recorded).</summary>
    public static RunOutcome Succeeded(string? runId = null) => new(RunStatus.Succeeded, RunId: runId);
}
