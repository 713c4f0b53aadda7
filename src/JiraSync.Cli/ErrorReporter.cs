using JiraSync.Errors;

namespace JiraSync.Cli;

/// <summary>Turns an exception into one line on stderr and an exit code; a stack trace only with --verbose.</summary>
public static class ErrorReporter
{
    public static int Report(Exception ex, bool verbose)
    {
        while (ex is AggregateException { InnerExceptions.Count: 1 } agg) ex = agg.InnerExceptions[0];
        var (code, line) = ex switch
        {
            JiraSyncException j => (j.ExitCode, j.Message),
            OperationCanceledException => (ExitCodes.RunFailed, "cancelled"),
            _ => (ExitCodes.RunFailed, $"unexpected error: {ex.GetType().Name}: {ex.Message}"),
        };
        Console.Error.WriteLine($"error: {line}");
        if (verbose) Console.Error.WriteLine(ex.ToString());
        return code;
    }
}
