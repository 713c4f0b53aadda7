using System.CommandLine;
using System.Text.Json;
using JiraSync.Errors;
using JiraSync.Logging;
using JiraSync.Singer;
using JiraSync.Streams;

namespace JiraSync.Cli.Commands;

/// <summary>`jirasync tap`: the Singer tap, a drop-in for singer-io tap-jira (same flags -c -d -p -s,
/// --catalog/--properties, --state). Catalog and state are checked before Jira is contacted: a bad
/// file is exit 2 with one line naming it. Without a catalog every stream is extracted. The Meltano Singer SDK's
/// conventions too: --about [--format json|markdown|meltano] (no config needed) and --test (exit 0 or 1).</summary>
public static class TapCommand
{
    /// <summary>The description `jirasync tap --help` and `tap-jirasync --help` show.</summary>
    public const string Description = "Singer tap: extract Jira as SCHEMA/RECORD/STATE messages on stdout";

    /// <summary>`jirasync tap`: a subcommand of the jirasync root.</summary>
    public static Command Build() => Configure(new Command("tap", Description));

    /// <summary>Adds the tap's options and action to <paramref name="command"/> (`jirasync tap`'s subcommand, or the root
    /// of the native `tap-jirasync`, so both parse and behave alike) and returns it.</summary>
    /// <typeparam name="T">Command or RootCommand.</typeparam>
    /// <param name="command">A command with no options or action of its own yet.</param>
    public static T Configure<T>(T command) where T : Command
    {
        var config = CommandSupport.ConfigOption(required: false);
        var discover = new Option<bool>("--discover", "-d") { Description = "Print the catalog (same as `jirasync discover`) and exit" };
        var catalog = new Option<string?>("--catalog") { Description = "Singer catalog selecting streams and fields (default: everything)" };
        var properties = new Option<string?>("--properties", "-p") { Description = "Legacy name of --catalog (tap-jira accepts both)" };
        var state = new Option<string?>("--state", "-s") { Description = "State from a previous run (the last STATE value it printed)" };
        var about = new Option<bool>("--about") { Description = "Print the tap's name, version, capabilities and settings (Meltano SDK convention) and exit" };
        var format = new Option<AboutFormat>("--format") { Description = "Output of --about: json, markdown, or meltano (a meltano.yml extractor entry)", DefaultValueFactory = _ => AboutFormat.Json };
        var test = new Option<bool>("--test") { Description = "Connection test (Meltano SDK convention): read one record of every stream, exit 0 if that works, 1 if not" };
        foreach (var o in new Option[] { config, discover, catalog, properties, state, about, format, test }) command.Options.Add(o);
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(about))
            {
                Console.Out.Write(parse.GetValue(format) switch
                {
                    AboutFormat.Markdown => TapAbout.Markdown(Version),
                    AboutFormat.Meltano => TapAbout.MeltanoYaml(),
                    _ => TapAbout.Json(Version).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n",
                });
                return ExitCodes.Success;
            }
            if (parse.GetValue(config) is null) throw new ConfigException("tap needs --config FILE (the tap-jira config); --about needs none");
            if (parse.GetValue(test)) return await TestAsync(parse, config, ct);
            if (parse.GetValue(discover)) return await DiscoverAsync(parse, config, ct);
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

    /// <summary>The Singer catalog on stdout, indented JSON (`jirasync discover`, `tap --discover`).</summary>
    /// <param name="parse">The parsed command line.</param>
    /// <param name="config">Its --config option (the config file is required).</param>
    /// <param name="ct">Cancels the discovery.</param>
    /// <returns>0; a failure throws a <see cref="JiraSyncException"/> carrying its exit code.</returns>
    public static async Task<int> DiscoverAsync(ParseResult parse, Option<string> config, CancellationToken ct)
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

    /// <summary>The version shown by --about: the informational version without its source-revision suffix.</summary>
    public static string Version =>
        (typeof(TapCommand).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion ?? "0.0.0").Split('+')[0];

    /// <summary>--test: as the SDK's, a failure to read Jira is exit 1 with one line (a refused password too, not check's 3);
    /// a config file that cannot be read stays exit 2.</summary>
    private static async Task<int> TestAsync(ParseResult parse, Option<string> config, CancellationToken ct)
    {
        var (settings, log) = CommandSupport.LoadConfig(parse, config);
        try
        {
            // A connection test should answer in seconds, not ride out minutes of backoff (as `check`).
            using var client = CommandSupport.CreateClient(settings, log, parse.GetValue(config)!, Jira.JiraClientOptions.Default with { MaxAttempts = 3, LogMetrics = parse.GetValue(CommandSupport.Verbose) });
            var runner = new TapRunner(client, settings, log);
            IReadOnlyDictionary<string, int> seen = new Dictionary<string, int>();
            await using var stdout = CommandSupport.OpenStdout();
            await using var writer = new SingerWriter(stdout);
            await SingerPipe.RunAsync(async (output, token) => seen = await TapConnectionTest.RunAsync(runner, output, token), writer, ct);
            log.Info($"connection test passed: {seen.Count(s => s.Value > 0)} of {seen.Count} streams gave a record" +
                     (seen.Any(s => s.Value == 0) ? $" (empty: {string.Join(", ", seen.Where(s => s.Value == 0).Select(s => s.Key))})" : ""));
            return ExitCodes.Success;
        }
        catch (JiraSyncException e) when (e is not RunFailedException)
        {
            throw new RunFailedException("connection test failed: " + e.Message, e);
        }
    }
}

/// <summary>Output forms of `tap --about`.</summary>
public enum AboutFormat { Json, Markdown, Meltano }
