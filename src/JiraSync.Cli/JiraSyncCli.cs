using System.CommandLine;
using JiraSync.Cli.Commands;
using JiraSync.Errors;

namespace JiraSync.Cli;

/// <summary>Builds the command tree. Commands only parse and wire; the work is in the library.</summary>
public static class JiraSyncCli
{
    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Show debug logging and stack traces on errors",
        Recursive = true,
    };

    /// <summary>Commands that install their own SIGINT/SIGTERM handling.</summary>
    private static readonly HashSet<string> SelfSignalling = ["sync", "schedule"];

    public static RootCommand Build()
    {
        var root = new RootCommand("JiraSync: replicate Jira into a database, completely and fast.") { HelpName = "jirasync" };
        root.Options.Add(Verbose);
        foreach (var command in CommandRegistry.All())
            root.Subcommands.Add(command);
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var parse = Build().Parse(args);
        if (parse.Errors.Count > 0 && !args.Any(a => a is "-h" or "--help" or "-?"))
        {
            // Bad usage is exit 2 with one line per problem, as DESIGN.md's exit codes say.
            foreach (var error in parse.Errors) Console.Error.WriteLine($"error: {error.Message}");
            Console.Error.WriteLine("Run 'jirasync --help' for usage.");
            return ExitCodes.BadUsage;
        }
        try
        {
            var invocation = new InvocationConfiguration { EnableDefaultExceptionHandler = false };
            // System.CommandLine cancels the token on SIGINT/SIGTERM and forces the exit two seconds later, which could
            // cut off a batch being committed. `sync` and `schedule` handle the signals themselves
            // (Scheduling/ShutdownSignal: stop extracting, commit what was received, exit cleanly).
            if (SelfSignalling.Contains(parse.CommandResult.Command.Name)) invocation.ProcessTerminationTimeout = null;
            return await parse.InvokeAsync(invocation);
        }
        catch (Exception ex)
        {
            return ErrorReporter.Report(ex, parse.GetValue(Verbose));
        }
    }
}
