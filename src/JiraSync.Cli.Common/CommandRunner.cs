using System.CommandLine;
using JiraSync.Errors;

namespace JiraSync.Cli;

/// <summary>Parses a command line and runs its action the way every JiraSync program does (DESIGN.md, exit codes):
/// bad usage is exit 2 with one line per problem, a failure is one line on stderr and its exit code
/// (<see cref="ErrorReporter"/>), a stack trace only with --verbose.</summary>
public static class CommandRunner
{
    /// <summary>Parses <paramref name="args"/> against <paramref name="root"/> and invokes the chosen command.</summary>
    /// <param name="root">The program's command tree; its HelpName (else its Name) names the program in the usage hint.</param>
    /// <param name="args">The command line, without the program name.</param>
    /// <param name="usageProblem">Asked first when parsing failed: a better single line than the parser's errors
    /// (e.g. "unknown command 'synk'; did you mean 'sync'?"), or null to print the parser's errors.</param>
    /// <param name="handlesSignals">True for a command that installs its own SIGINT/SIGTERM handling, so the parser
    /// must not force the exit two seconds after cancelling it.</param>
    /// <returns>The exit code: 0 success, 1 run failed, 2 usage or config, 3 auth, 4 cannot reach Jira.</returns>
    public static async Task<int> RunAsync(RootCommand root, string[] args, Func<string?>? usageProblem = null,
        Func<Command, bool>? handlesSignals = null)
    {
        // No response files: "@hourly" is a cron macro, not a file of arguments to read.
        var parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parse.Errors.Count > 0 && !args.Any(a => a is "-h" or "--help" or "-?"))
        {
            if (usageProblem?.Invoke() is { } problem) Console.Error.WriteLine($"error: {problem}");
            else foreach (var error in parse.Errors) Console.Error.WriteLine($"error: {error.Message}");
            Console.Error.WriteLine($"Run '{root.HelpName ?? root.Name} --help' for usage.");
            return ExitCodes.BadUsage;
        }
        try
        {
            var invocation = new InvocationConfiguration { EnableDefaultExceptionHandler = false };
            // System.CommandLine cancels the token on SIGINT/SIGTERM and forces the exit two seconds later, which could
            // cut off a batch being committed; a command that handles the signals itself stops cleanly on its own.
            if (handlesSignals?.Invoke(parse.CommandResult.Command) == true) invocation.ProcessTerminationTimeout = null;
            return await parse.InvokeAsync(invocation);
        }
        catch (Exception ex)
        {
            return ErrorReporter.Report(ex, parse.GetValue(CommandSupport.Verbose));
        }
    }
}
