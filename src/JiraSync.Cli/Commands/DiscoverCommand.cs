using System.CommandLine;
using System.Text.Json;
using JiraSync.Errors;
using JiraSync.Streams;

namespace JiraSync.Cli.Commands;

/// <summary>`jirasync discover --config C`: the Singer catalog on stdout (same as `tap --discover`).</summary>
public static class DiscoverCommand
{
    public static Command Build()
    {
        var config = CommandSupport.ConfigOption();
        var command = new Command("discover", "Print the Singer catalog: every stream, its schema, keys and metadata");
        command.Options.Add(config);
        command.SetAction((parse, ct) => RunAsync(parse, config, ct));
        return command;
    }

    internal static async Task<int> RunAsync(ParseResult parse, Option<string> config, CancellationToken ct)
    {
        var (settings, log) = CommandSupport.LoadConfig(parse, config);
        using var client = CommandSupport.CreateClient(settings, log, parse.GetValue(config)!);
        var catalog = await new TapRunner(client, settings, log).DiscoverAsync(ct);
        await using var stdout = CommandSupport.OpenStdout();
        await using (var json = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = true }))
            catalog.ToJson().WriteTo(json);
        stdout.Write("\n"u8);
        return ExitCodes.Success;
    }
}
