using JiraSync.Errors;
using JiraSync.Logging;
using JiraSync.Runs;

namespace JiraSync.Cli;

/// <summary>Turns an exception into one line on stderr and an exit code; a stack trace only with --verbose. A failure
/// a recorded run has already printed (<see cref="RecordedFailure.RunIdOf"/>) is not printed again.</summary>
public static class ErrorReporter
{
    private const int BrokenPipe = 32; // EPIPE: .NET puts the errno in IOException.HResult on Unix

    /// <summary>Prints <paramref name="ex"/> as one redacted "error: …" line on stderr (the stack trace too when
    /// <paramref name="verbose"/>) and returns its exit code: a <see cref="JiraSyncException"/>'s own, else 1.</summary>
    /// <param name="ex">What ended the command.</param>
    /// <param name="verbose">--verbose was given.</param>
    public static int Report(Exception ex, bool verbose)
    {
        while (ex is AggregateException { InnerExceptions.Count: 1 } agg) ex = agg.InnerExceptions[0];
        // A disk filling mid-run, from any writer: what was committed before stays (each batch commits with its state).
        if (ex is not JiraSyncException && DiskFull.Describe(ex) is { } full) ex = full;
        var (code, line) = ex switch
        {
            JiraSyncException j => (j.ExitCode, j.Message),
            OperationCanceledException => (ExitCodes.RunFailed, "cancelled"),
            IOException { HResult: BrokenPipe } => (ExitCodes.RunFailed, "standard output was closed (broken pipe): the program reading it stopped; nothing after the last STATE it received is committed"),
            _ => (ExitCodes.RunFailed, $"unexpected error: {ex.GetType().Name}: {ex.Message}"),
        };
        // A recorded run already printed its failure ("run … failed in …s: reason", naming the run for `jirasync runs`):
        // one line per failure, not the same reason twice.
        // Messages are written without secrets, but an unexpected exception's text is not ours: redact every line.
        var printedByRun = RecordedFailure.RunIdOf(ex) is not null && ex is not OperationCanceledException;
        if (!printedByRun) Console.Error.WriteLine(Redactor.Process.Redact($"error: {line}"));
        if (verbose) Console.Error.WriteLine(Redactor.Process.Redact(ex.ToString()));
        return code;
    }
}
