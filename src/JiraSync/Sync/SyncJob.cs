using JiraSync.Analytics;
using JiraSync.Config;
using JiraSync.Errors;
using JiraSync.Jira;
using JiraSync.Loading;
using JiraSync.Loading.Destinations;
using JiraSync.Logging;
using JiraSync.Runs;
using JiraSync.Scheduling;
using JiraSync.Singer;
using JiraSync.Streams;

namespace JiraSync.Sync;

/// <summary>
/// The sync workflow, shared by `sync`, `schedule` and `demo`: reads the config (again on every run, so a scheduled
/// run picks up a corrected password), takes the destination's run lock, records the run (`_jirasync_runs`, the
/// extraction log), optionally runs the `check` connection test, then runs the tap into the loader in one process
/// and commits state with the rows it covers. The commands only parse their options and wire the console
/// (<see cref="SyncEnvironment"/>).
/// </summary>
public sealed class SyncJob
{
    private readonly SyncRequest _request;
    private readonly SyncEnvironment _env;
    private Loader? _loader;
    private Catalog? _catalogFile;
    private HashSet<string>? _wanted;

    private SyncJob(SyncRequest request, SyncEnvironment env)
    {
        _request = request;
        _env = env;
    }

    /// <summary>Runs one sync. <paramref name="stop"/> (SIGINT/SIGTERM) stops extraction and lets the loader commit
    /// what it already received with its state (the outcome is then <see cref="RunStatus.Cancelled"/>);
    /// <paramref name="ct"/> aborts everything. A recorded run's failure is recorded in the run history, then rethrown.</summary>
    /// <param name="request">The sync's options.</param>
    /// <param name="env">Console log, progress display and Jira client factory.</param>
    /// <param name="stop">Graceful stop (SIGINT/SIGTERM).</param>
    /// <param name="ct">Hard cancellation.</param>
    /// <exception cref="ConfigException">The config, catalog, --streams/--reset names or destination are wrong (exit 2).</exception>
    /// <exception cref="RunFailedException">Another run holds the destination's lock, or the run failed (exit 1).</exception>
    /// <exception cref="JiraSyncException">Jira refused the credentials (exit 3) or cannot be reached (exit 4).</exception>
    public static Task<SyncResult> RunAsync(SyncRequest request, SyncEnvironment env, CancellationToken stop, CancellationToken ct) =>
        new SyncJob(request, env).RunAsync(stop, ct);

    /// <summary>Takes the destination's run lock, opens its run history and records a run as started.</summary>
    /// <exception cref="RunFailedException">Another run holds the lock ("another jirasync run is loading into …").</exception>
    /// <exception cref="DestinationOpenException">A file-based destination cannot be opened.</exception>
    internal static async Task<RunSession> BeginRunAsync(DestinationUri uri, JiraSyncConfig config, ILog console, string trigger,
        CancellationToken ct = default, TimeProvider? clock = null)
    {
        var runLock = await uri.LockAsync(ct);
        IRunStore store;
        try { store = uri.OpenRunStore(); }
        catch { await runLock.DisposeAsync(); throw; }
        // The run history opens its database here: a duckdb: path that cannot be opened fails now (exit 2, path and cause).
        try { return await RunSession.BeginAsync(runLock, store, config, console, trigger, ct, clock); }
        catch (Exception ex) when (DestinationOpenException.IsOpenFailure(uri, ex)) { throw DestinationOpenException.From(uri, ex); }
    }

    /// <summary>The name of a sync's state in its destination: the Jira site, plus its project partition when the config
    /// limits the projects (e.g. <c>https://acme.atlassian.net projects=ABC,XYZ</c>), so several syncs can share one
    /// destination, each resuming from its own bookmarks (DESIGN.md, "Beyond one machine").</summary>
    /// <param name="config">The sync's settings (site URL and projects).</param>
    public static string StateKeyFor(JiraSyncConfig config)
    {
        var site = config.BaseUrl.GetLeftPart(UriPartial.Authority).ToLowerInvariant();
        return config.Projects.Count == 0 ? site : $"{site} projects={string.Join(",", config.Projects.Select(p => p.ToUpperInvariant()).Order(StringComparer.Ordinal))}";
    }

    private async Task<SyncResult> RunAsync(CancellationToken stop, CancellationToken ct)
    {
        var r = _request;
        // Warnings about the file name keys only, never values; the console log redacts every loaded secret anyway.
        var settings = ConfigLoader.Load(r.ConfigPath, log: _env.Console);
        var uri = DestinationUri.Parse(r.Destination ?? settings.Destination);
        // A mistyped stream name or catalog path is bad usage (exit 2), not a failed run: checked before the run is recorded.
        if (r.CatalogPath != null && r.Streams != null) throw new ConfigException("give either --catalog or --streams, not both");
        var catalogFile = r.CatalogPath is null ? null : Catalog.Load(r.CatalogPath);
        foreach (var s in r.Reset) _ = StreamRegistry.Find(s) ?? throw new ConfigException($"--reset: unknown stream '{s}'; streams: {StreamNames()}");
        _wanted = r.Streams is null ? null : ParseStreams(r.Streams);
        _catalogFile = catalogFile;
        var progress = _env.Progress ?? SyncEnvironment.NoProgress;
        var console = progress.Wrap(_env.Console);
        if (!r.Recorded) return await ExecuteAsync(settings, uri, console, console, progress, null, stop, ct);

        await using var run = await BeginRunAsync(uri, settings, console, r.Trigger, ct);
        try
        {
            return await ExecuteAsync(settings, uri, console, run.Log, progress, run, stop, ct);
        }
        catch (OperationCanceledException e) when (stop.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            await run.FailedAsync(e, _loader?.Snapshot());
            return new SyncResult(new RunOutcome(RunStatus.Cancelled, "stopped by signal", ExitCodes.RunFailed, run.RunId), _loader?.Snapshot(), uri.Display, run.Metrics, []);
        }
        catch (Exception e)
        {
            await run.FailedAsync(e, _loader?.Snapshot());
            throw;
        }
    }

    // console: where the loading report lines go (the console, not only the extraction log);
    // log: every line of the run (a recorded run's log also feeds its extraction log).
    private async Task<SyncResult> ExecuteAsync(JiraSyncConfig settings, DestinationUri uri, ILog console, ILog log, ISyncProgress progress,
        RunSession? run, CancellationToken stop, CancellationToken ct)
    {
        var r = _request;
        if (r.CheckFirst)
        {
            // The `check` connection test, with few retries: a refused credential should fail fast and be recorded.
            using var probe = new JiraClient(settings, log, JiraClientOptions.Default with { MaxAttempts = 3, LogMetrics = false });
            var check = await ConnectionCheck.RunAsync(probe, ct);
            log.Info("check: " + string.Join("; ", check.Lines().Select(l => $"{l.Label} {l.Value}")));
        }
        // Per-request METRIC lines are the tap's Singer convention; in sync they would drown the progress lines
        // (the run history keeps the counts, the extraction log one line per request), so only with --verbose.
        var clientOptions = JiraClientOptions.Default with { LogMetrics = r.Verbose };
        using var client = _env.CreateClient?.Invoke(settings, log, clientOptions) ?? new JiraClient(settings, log, clientOptions);
        if (run is not null) run.Metrics = client.Metrics;
        // A recorded run ends with its reconciliation; the sweep collects Jira's counts for it as it reads.
        var tally = run is null ? null : new IssueTally();
        var tap = new TapRunner(client, settings, log) { Tally = tally };
        var selection = await SelectionAsync(tap, ct);

        await using var dest = await uri.OpenAsync(log, ct);
        dest.StateKey = StateKeyFor(settings); // each Jira site / project partition resumes from its own state
        if (r.Reset.Count > 0)
        {
            await dest.WriteStateAsync(SyncPipeline.ForgetBookmarks(await dest.ReadStateAsync(ct), r.Reset), ct);
            log.Info($"forgot the bookmarks of {string.Join(", ", r.Reset)}");
        }
        if (run is not null) run.StateBefore = await dest.ReadStateAsync(ct);

        var loader = _loader = new Loader(dest, log, new LoadOptions { BatchRows = r.BatchRows, SqlBatchHooks = AnalyticsHook.ForJiraLoads() });
        log.Info($"syncing {settings.BaseUrl.GetLeftPart(UriPartial.Authority)} into {dest.Name}");
        var report = await progress.RunAsync(loader, client.Metrics,
            () => SyncPipeline.RunAsync(tap, selection, dest, loader, log, ct, run is null ? null : output => run.Observe(output, stop)), client.Gate);
        report.LogTo(console, dest.Name);
        if (run is not null) run.Skipped = tap.Skipped;
        if (tap.Skipped.Count > 0)
            console.Warn($"skipped {tap.Skipped.Count} stream(s) Jira refused: {string.Join(", ", tap.Skipped.Keys)}{(run is null ? "" : $" (see `jirasync runs {run.RunId}`)")}; the rest is loaded");
        var tables = r.CountTables ? await dest.CountRowsAsync(report.Streams.Keys, ct) : [];
        if (run is not null && tally is not null)
            await Reconciliation.ReconciliationLog.AfterSyncAsync(run.RunId, tally, dest, client, run.SaveReconciliationAsync, log, ct);
        if (run is not null) await run.SucceededAsync(report);
        return new SyncResult(RunOutcome.Succeeded(run?.RunId), report, dest.Name, client.Metrics, tables);
    }

    /// <summary>The catalog file, or every stream with --streams choosing some, or null (everything).</summary>
    private async Task<Catalog?> SelectionAsync(TapRunner tap, CancellationToken ct)
    {
        if (_catalogFile != null || _wanted is not { } wanted) return _catalogFile;
        var catalog = await tap.DiscoverAsync(ct);
        foreach (var entry in catalog.Streams) entry.Metadata.Set([], "selected", wanted.Contains(entry.Stream));
        return catalog;
    }

    /// <summary>The stream names of a --streams value; an empty list or an unknown name is bad usage (exit 2).</summary>
    /// <param name="streams">Comma-separated tap-jira stream names, e.g. "issues,projects".</param>
    /// <exception cref="ConfigException">No stream named, or an unknown one.</exception>
    public static HashSet<string> ParseStreams(string streams)
    {
        var wanted = streams.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        if (wanted.Count == 0)
            throw new ConfigException($"--streams names no stream; give one or more, comma-separated (e.g. --streams issues,projects), or leave it out for every stream; streams: {StreamNames()}");
        foreach (var w in wanted)
            if (StreamRegistry.Find(w) is null) throw new ConfigException($"--streams: unknown stream '{w}'; streams: {StreamNames()}");
        return wanted;
    }

    private static string StreamNames() => string.Join(", ", StreamRegistry.All.Select(s => s.Name));
}
