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

    /// <summary>"unknown command 'synk'; did you mean 'sync'?" when the first word is not a command, else null.</summary>
    internal static string? UnknownCommand(RootCommand root, string[] args)
    {
        var first = args.FirstOrDefault(a => !a.StartsWith('-'));
        if (first is null || args.TakeWhile(a => a != first).Any(a => a is not ("-v" or "--verbose"))) return null; // another option first: its value, not a command
        var names = root.Subcommands.SelectMany(c => c.Aliases.Prepend(c.Name)).ToList();
        if (names.Contains(first, StringComparer.Ordinal)) return null;
        var nearest = names.Select(n => (Name: n, Distance: Typo.Distance(first.ToLowerInvariant(), n)))
            .Where(n => n.Distance <= Math.Max(2, first.Length / 3)).OrderBy(n => n.Distance).Select(n => n.Name).FirstOrDefault();
        var commands = string.Join(", ", root.Subcommands.Where(c => !c.Hidden).Select(c => c.Name));
        return nearest is null ? $"unknown command '{first}'; commands: {commands}" : $"unknown command '{first}'; did you mean '{nearest}'?";
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var root = Build();
        // No response files: "@hourly" is a cron macro, not a file of arguments to read.
        var parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parse.Errors.Count > 0 && !args.Any(a => a is "-h" or "--help" or "-?"))
        {
            // Bad usage is exit 2 with one line per problem, as DESIGN.md's exit codes say.
            if (UnknownCommand(root, args) is { } unknown)
            {
                Console.Error.WriteLine($"error: {unknown}");
                Console.Error.WriteLine("Run 'jirasync --help' for usage.");
                return ExitCodes.BadUsage;
            }
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
