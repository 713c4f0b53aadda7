namespace JiraSync.Runs;

/// <summary>
/// Marks an exception whose failure a recorded run has already logged ("run … failed in …: reason") so whoever
/// reports it last (the command line, the scheduler) prints each failure once. The mark is the run's id, kept in
/// <see cref="Exception.Data"/>.
/// </summary>
public static class RecordedFailure
{
    private const string Key = "jirasync.recorded-run";

    /// <summary>The id of the run whose failure <paramref name="error"/> was recorded (and logged) as, or null.</summary>
    /// <param name="error">Any exception.</param>
    public static string? RunIdOf(Exception error) => error.Data[Key] as string;

    /// <summary>Marks <paramref name="error"/> as recorded by run <paramref name="runId"/>.</summary>
    internal static void Mark(Exception error, string runId) => error.Data[Key] = runId;

    /// <summary>Unmarks <paramref name="error"/>: its run was recorded where the console did not see the
    /// "run … failed" line (the local run history), so whoever reports it should still print it.</summary>
    internal static void Forget(Exception error) => error.Data.Remove(Key);
}
