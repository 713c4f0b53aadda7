using System.CommandLine;
using System.Text.Json;
using JiraSync.Errors;
using JiraSync.Singer;
using JiraSync.Streams;

namespace JiraSync.Cli.Commands;

/// <summary>`jirasync tap`: the Singer tap, a drop-in for singer-io tap-jira (same flags -c -d -p -s,
/// --catalog/--properties, --state). Catalog and state are checked before Jira is contacted: a bad
/// file is exit 2 with one line naming it. Without a catalog every stream is extracted.</summary>
public static class TapCommand
{
    public static Command Build()
    {
        var config = CommandSupport.ConfigOption();
        var discover = new Option<bool>("--discover", "-d") { Description = "Print the catalog (same as `jirasync discover`) and exit" };
        var catalog = new Option<string?>("--catalog") { Description = "Singer catalog selecting streams and fields (default: everything)" };
        var properties = new Option<string?>("--properties", "-p") { Description = "Legacy name of --catalog (tap-jira accepts both)" };
        var state = new Option<string?>("--state", "-s") { Description = "State from a previous run (the last STATE value it printed)" };
        var command = new Command("tap", "Singer tap: extract Jira as SCHEMA/RECORD/STATE messages on stdout");
        foreach (var o in new Option[] { config, discover, catalog, properties, state }) command.Options.Add(o);
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(discover)) return await DiscoverCommand.RunAsync(parse, config, ct);
            var catalogPath = parse.GetValue(catalog) ?? parse.GetValue(properties);
            var selection = catalogPath is null ? null : Catalog.Load(catalogPath);
            if (selection != null) CatalogValidator.Validate(selection, $"catalog {catalogPath}");
            var statePath = parse.GetValue(state);
            TapState? startState = null;
            if (statePath != null)
            {
                if (CommandSupport.IsStandardOutput(statePath))
                    throw new ConfigException($"--state {statePath} is also where standard output goes, so the shell emptied it before the tap started; " +
                                              "write the output to another file (tap --state state.json > out.json) and take the last STATE line from it");
                startState = TapState.Load(statePath, CommandSupport.CreateLog(parse));
                StateValidator.Validate(startState, $"state {statePath}");
            }

            var (settings, log) = CommandSupport.LoadConfig(parse, config);
            using var client = CommandSupport.CreateClient(settings, log, parse.GetValue(config)!);
            var runner = new TapRunner(client, settings, log);
            await using var stdout = CommandSupport.OpenStdout();
            await using var writer = new SingerWriter(stdout);
            await SingerPipe.RunAsync((output, token) => runner.RunAsync(selection, startState?.Snapshot(), output, token), writer, ct);
            return ExitCodes.Success;
        });
        return command;
    }
}
