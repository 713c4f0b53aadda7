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

    public static RootCommand Build()
    {
        var root = new RootCommand("JiraSync: replicate Jira into a database, completely and fast.");
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
            // ProcessTerminationTimeout = null: System.CommandLine would cancel every token on SIGINT/SIGTERM and force
            // the exit two seconds later, cutting off a batch being committed. `sync` and `schedule` handle the signals
            // themselves (Scheduling/ShutdownSignal: stop extracting, commit what was received, exit cleanly); other
            // commands keep the default (immediate exit), which is safe because state is only stored with its rows.
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null });
        }
        catch (Exception ex)
        {
            return ErrorReporter.Report(ex, parse.GetValue(Verbose));
        }
    }
}
