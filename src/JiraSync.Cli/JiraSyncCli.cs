using System.CommandLine;
using JiraSync.Cli.Commands;
using JiraSync.Errors;

namespace JiraSync.Cli;

/// <summary>Builds the command tree. Commands only parse and wire; the work is in the library.</summary>
public static class JiraSyncCli
{
    /// <summary>--verbose/-v on every command (the one instance <see cref="CommandSupport.Verbose"/>).</summary>
    public static readonly Option<bool> Verbose = CommandSupport.Verbose;

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

    /// <summary>Runs `jirasync ARGS` and returns its exit code (<see cref="CommandRunner"/>).</summary>
    public static Task<int> RunAsync(string[] args)
    {
        var root = Build();
        // `sync` and `schedule` handle SIGINT/SIGTERM themselves (Scheduling/ShutdownSignal: stop extracting, commit
        // what was received, exit cleanly).
        return CommandRunner.RunAsync(root, args, () => UnknownCommand(root, args), c => SelfSignalling.Contains(c.Name));
    }
}
