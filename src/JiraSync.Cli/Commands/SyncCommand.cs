using System.CommandLine;
using JiraSync.Errors;
using JiraSync.Loading;
using JiraSync.Logging;
using JiraSync.Singer;
using JiraSync.Streams;

namespace JiraSync.Cli.Commands;

/// <summary>`jirasync sync`: extract from Jira and load into the destination in one process; the state
/// lives in the destination, committed with the rows it covers.</summary>
public static class SyncCommand
{
    public static Command Build()
    {
        var config = CommandSupport.ConfigOption();
        var catalog = new Option<string?>("--catalog", "--properties") { Description = "Singer catalog selecting streams and columns (default: everything)" };
        var destination = LoadOptionsCli.Destination();
        var streams = new Option<string?>("--streams") { Description = "Comma-separated streams to sync (a shortcut for a catalog selecting them)" };
        var reset = new Option<string[]>("--reset") { Description = "Forget a stream's bookmark first, for a fresh historical sync (repeatable, or comma-separated)", AllowMultipleArgumentsPerToken = true };
        var batchRows = LoadOptionsCli.BatchRows();
        var command = new Command("sync", "Extract from Jira and load into DuckDB, PostgreSQL or JSON lines (state kept in the destination)");
        foreach (var o in new Option[] { config, catalog, destination, streams, reset, batchRows }) command.Options.Add(o);
        command.SetAction(async (parse, ct) =>
        {
            var (settings, consoleLog) = CommandSupport.LoadConfig(parse, config);
            var uri = DestinationUri.Parse(parse.GetValue(destination) ?? settings.Destination);
            var progress = SyncProgress.Create(parse.GetValue(JiraSyncCli.Verbose));
            var log = progress.Wrap(consoleLog);
            using var client = CommandSupport.CreateClient(settings, log, parse.GetValue(config)!);
            var tap = new TapRunner(client, settings, log);
            var selection = await SelectionAsync(tap, parse.GetValue(catalog), parse.GetValue(streams), ct);

            await using var dest = await uri.OpenAsync(log, ct);
            var resets = (parse.GetValue(reset) ?? []).SelectMany(r => r.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
            if (resets.Count > 0)
            {
                foreach (var r in resets) _ = StreamRegistry.Find(r) ?? throw new ConfigException($"--reset: unknown stream '{r}'; streams: {StreamNames()}");
                await dest.WriteStateAsync(SyncPipeline.ForgetBookmarks(await dest.ReadStateAsync(ct), resets), ct);
                log.Info($"forgot the bookmarks of {string.Join(", ", resets)}");
            }

            var loader = new Loader(dest, log, new LoadOptions { BatchRows = parse.GetValue(batchRows) });
            log.Info($"syncing {settings.BaseUrl.GetLeftPart(UriPartial.Authority)} into {dest.Name}");
            var report = await progress.RunAsync(loader, client.Metrics,
                () => SyncPipeline.RunAsync(tap, selection, dest, loader, log, ct));
            LoadReportView.Log(consoleLog, report, dest.Name);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The catalog file, or every stream with --streams choosing some, or null (everything).</summary>
    private static async Task<Catalog?> SelectionAsync(TapRunner tap, string? catalogPath, string? streams, CancellationToken ct)
    {
        if (catalogPath != null && streams != null) throw new ConfigException("give either --catalog or --streams, not both");
        if (catalogPath != null) return Catalog.Load(catalogPath);
        if (streams == null) return null;
        var wanted = streams.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        foreach (var w in wanted)
            if (StreamRegistry.Find(w) is null) throw new ConfigException($"--streams: unknown stream '{w}'; streams: {StreamNames()}");
        var catalog = await tap.DiscoverAsync(ct);
        foreach (var entry in catalog.Streams) entry.Metadata.Set([], "selected", wanted.Contains(entry.Stream));
        return catalog;
    }

    private static string StreamNames() => string.Join(", ", StreamRegistry.All.Select(s => s.Name));
}
