using System.CommandLine;

namespace JiraSync.Cli.Commands;

/// <summary>`jirasync discover --config C`: the Singer catalog on stdout (same as `tap --discover`).</summary>
public static class DiscoverCommand
{
    public static Command Build()
    {
        var config = CommandSupport.ConfigOption();
        var command = new Command("discover", "Print the Singer catalog: every stream, its schema, keys and metadata");
        command.Options.Add(config);
        command.SetAction((parse, ct) => TapCommand.DiscoverAsync(parse, config, ct));
        return command;
    }
}
