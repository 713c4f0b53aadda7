using System.CommandLine;

namespace JiraSync.Cli.Commands;

/// <summary>Every subcommand of `jirasync`, in the order `--help` lists them.
/// Each command lives in its own file with a static Build().</summary>
public static class CommandRegistry
{
    public static IEnumerable<Command> All() =>
    [
        DemoCommand.Build(),
        CheckCommand.Build(),
        SyncCommand.Build(),
        TargetCommand.Build(),
        RunsCommand.Build(),
        VerifyCommand.Build(),
        QueryCommand.Build(),
        ScheduleCommand.Build(),
        VersionCommand.Build(),
        SimulateCommand.Build(),
        DiscoverCommand.Build(),
        TapCommand.Build(),
    ];
}
