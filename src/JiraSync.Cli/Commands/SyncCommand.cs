using System.CommandLine;
using JiraSync.Errors;
using JiraSync.Jira;
using JiraSync.Loading;
using JiraSync.Logging;
using JiraSync.Runs;
using JiraSync.Scheduling;
using JiraSync.Singer;
using JiraSync.Streams;

namespace JiraSync.Cli.Commands;

/// <summary>What one sync is asked to do: the `sync` options (also what `schedule` passes for each run).</summary>
public sealed record SyncRequest(string ConfigPath, string? Catalog, string? Destination, string? Streams, IReadOnlyList<string> Reset, int BatchRows, bool Verbose)
{
    /// <summary>"sync" or "schedule", stored with the run.</summary>
    public string Trigger { get; init; } = "sync";
    /// <summary>Run the `check` connection test first (scheduled runs: a refused password is recorded as a failed run).</summary>
    public bool CheckFirst { get; init; }
}

/// <summary>`jirasync sync`: extract from Jira and load into the destination in one process; the state
/// lives in the destination, committed with the rows it covers. Each run is recorded in the run history
/// (`jirasync runs`) with its extraction log, and holds the destination's run lock.</summary>
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
            var request = new SyncRequest(parse.GetValue(config)!, parse.GetValue(catalog), parse.GetValue(destination), parse.GetValue(streams),
                (parse.GetValue(reset) ?? []).SelectMany(r => r.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList(),
                parse.GetValue(batchRows), parse.GetValue(JiraSyncCli.Verbose));
            using var shutdown = new ShutdownSignal(CommandSupport.CreateLog(parse));
            var outcome = await RunAsync(request, shutdown.Token, ct);
            if (outcome.Status == RunStatus.Cancelled)
                throw new RunFailedException("stopped by signal; what was extracted is committed, and the next sync resumes from there");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>One recorded sync. <paramref name="stop"/> (SIGINT/SIGTERM) stops extraction and lets the loader
    /// commit what it already received with its state; <paramref name="ct"/> aborts everything.
    /// Failures are recorded in the run history and rethrown.</summary>
    public static async Task<RunOutcome> RunAsync(SyncRequest r, CancellationToken stop, CancellationToken ct)
    {
        // Read on every run, so a scheduled run picks up a corrected password without a restart.
        // Warnings about the file name keys only, never values, so they need no redaction.
        var settings = Config.ConfigLoader.Load(r.ConfigPath, log: new StderrLog(r.Verbose, Redactor.None));
        ILog consoleLog = new StderrLog(r.Verbose, new Redactor(settings.Secrets()));
        var uri = DestinationUri.Parse(r.Destination ?? settings.Destination);
        // A mistyped stream name or catalog path is bad usage (exit 2), not a failed run: checked before the run is recorded.
        if (r.Catalog != null && r.Streams != null) throw new ConfigException("give either --catalog or --streams, not both");
        var catalogFile = r.Catalog is null ? null : Catalog.Load(r.Catalog);
        foreach (var s in r.Reset) _ = StreamRegistry.Find(s) ?? throw new ConfigException($"--reset: unknown stream '{s}'; streams: {StreamNames()}");
        var wanted = r.Streams?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        foreach (var w in wanted ?? [])
            if (StreamRegistry.Find(w) is null) throw new ConfigException($"--streams: unknown stream '{w}'; streams: {StreamNames()}");
        var progress = SyncProgress.Create(r.Verbose);
        await using var run = await RunSession.BeginAsync(uri, settings, progress.Wrap(consoleLog), r.Trigger, ct);
        var log = run.Log;
        Loader? loader = null;
        try
        {
            if (r.CheckFirst)
            {
                // The `check` connection test, with few retries: a refused credential should fail fast and be recorded.
                using var probe = new JiraClient(settings, log, JiraClientOptions.Default with { MaxAttempts = 3, LogMetrics = false });
                var check = await ConnectionCheck.RunAsync(probe, ct);
                log.Info("check: " + string.Join("; ", check.Lines().Select(l => $"{l.Label} {l.Value}")));
            }
            // Per-request METRIC lines are the tap's Singer convention; in sync they would drown the progress lines
            // (the run history keeps the counts, the extraction log one line per request), so only with --verbose.
            using var client = CommandSupport.CreateClient(settings, log, r.ConfigPath, JiraClientOptions.Default with { LogMetrics = r.Verbose });
            run.Metrics = client.Metrics;
            var tap = new TapRunner(client, settings, log);
            var selection = await SelectionAsync(tap, catalogFile, wanted, ct);

            await using var dest = await uri.OpenAsync(log, ct);
            dest.StateKey = StateKeys.For(settings); // each Jira site / project partition resumes from its own state
            if (r.Reset.Count > 0)
            {
                await dest.WriteStateAsync(SyncPipeline.ForgetBookmarks(await dest.ReadStateAsync(ct), r.Reset), ct);
                log.Info($"forgot the bookmarks of {string.Join(", ", r.Reset)}");
            }
            run.StateBefore = await dest.ReadStateAsync(ct);

            loader = new Loader(dest, log, new LoadOptions { BatchRows = r.BatchRows, Cascades = DeletionCascade.ForJiraStreams(), SnapshotChildren = DeletionCascade.JiraSnapshotChildren() });
            log.Info($"syncing {settings.BaseUrl.GetLeftPart(UriPartial.Authority)} into {dest.Name}");
            var l = loader;
            var report = await progress.RunAsync(loader, client.Metrics,
                () => SyncPipeline.RunAsync(tap, selection, dest, l, log, ct, output => run.Observe(output, stop)), client.Gate);
            LoadReportView.Log(consoleLog, report, dest.Name);
            await run.SucceededAsync(report);
            return RunOutcome.Succeeded(run.RunId);
        }
        catch (OperationCanceledException e) when (stop.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            await run.FailedAsync(e, loader?.Snapshot());
            return new RunOutcome(RunStatus.Cancelled, "stopped by signal", ExitCodes.RunFailed, run.RunId);
        }
        catch (Exception e)
        {
            await run.FailedAsync(e, loader?.Snapshot());
            throw;
        }
    }

    /// <summary>The catalog file, or every stream with --streams choosing some, or null (everything).</summary>
    private static async Task<Catalog?> SelectionAsync(TapRunner tap, Catalog? catalogFile, HashSet<string>? wanted, CancellationToken ct)
    {
        if (catalogFile != null || wanted == null) return catalogFile;
        var catalog = await tap.DiscoverAsync(ct);
        foreach (var entry in catalog.Streams) entry.Metadata.Set([], "selected", wanted.Contains(entry.Stream));
        return catalog;
    }

    private static string StreamNames() => string.Join(", ", StreamRegistry.All.Select(s => s.Name));
}
