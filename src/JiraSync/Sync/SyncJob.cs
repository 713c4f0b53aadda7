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
    /// <remarks>A partitioned run (<see cref="JiraSyncConfig.Partition"/>) takes its partition's lock (other partitions load
    /// at once) and is recorded with its partition and <paramref name="runGroup"/>.</remarks>
    internal static async Task<RunSession> BeginRunAsync(DestinationUri uri, JiraSyncConfig config, ILog console, string trigger,
        CancellationToken ct = default, TimeProvider? clock = null, string? runGroup = null)
    {
        var runLock = config.Partition is { } partition ? await uri.LockAsync($"partition {partition}", ct) : await uri.LockAsync(ct);
        RunStoreWithFallback store;
        // Once the run is recorded, a destination that stops taking writes (a full disk) has the run's end recorded locally.
        try { store = LocalRunHistory.WithFallback(uri, console); }
        catch { await runLock.DisposeAsync(); throw; }
        RunSession session;
        // The run history opens its database here: a duckdb: path that cannot be opened fails now (exit 2, path and cause).
        try { session = await RunSession.BeginAsync(runLock, store, config, console, trigger, ct, clock, runGroup); }
        catch (Exception ex) when (DestinationOpenException.IsOpenFailure(uri, ex)) { throw DestinationOpenException.From(uri, ex); }
        // A run that ended while the destination could not take writes: its end goes into the destination's history now.
        try
        {
            if (await store.CopyBackAsync(ct) is > 0 and var copied)
                console.Info($"copied the end of {copied} earlier run(s) from the local run history into {uri}'s");
        }
        catch (OperationCanceledException)
        {
            await session.DisposeAsync();
            throw;
        }
        catch (Exception ex)
        {
            console.Warn($"the local run history could not be copied into {uri}'s run history ({ex.Message.Split('\n')[0].Trim()}); `jirasync runs` still shows both");
        }
        return session;
    }

    /// <summary>The name of a sync's state in its destination: the Jira site, plus its projects when the config limits
    /// them (e.g. <c>https://acme.atlassian.net projects=ABC,XYZ</c>), plus its partition (<c>… partition=2/3</c>), so several
    /// syncs can share one destination, each resuming from its own bookmarks (DESIGN.md, "Beyond one machine").</summary>
    /// <param name="config">The sync's settings (site URL, projects and partition).</param>
    public static string StateKeyFor(JiraSyncConfig config)
    {
        var site = config.BaseUrl.GetLeftPart(UriPartial.Authority).ToLowerInvariant();
        var key = config.Projects.Count == 0 ? site : $"{site} projects={string.Join(",", config.Projects.Select(p => p.ToUpperInvariant()).Order(StringComparer.Ordinal))}";
        return config.Partition is { } partition ? $"{key} partition={partition}" : key;
    }

    /// <summary>Refuses a partition on a destination that takes one writer at a time (DuckDB, jsonl): partitions are
    /// processes loading one PostgreSQL schema at once (docs/scale-out.md). `sync`, `schedule` and `verify` call it before
    /// anything is read.</summary>
    /// <param name="partition">The --partition given, or null (always accepted).</param>
    /// <param name="uri">The destination.</param>
    /// <exception cref="ConfigException">A partition with a one-writer destination (exit 2); the message names both and
    /// the fix.</exception>
    public static void RequireConcurrentWriters(ProjectPartition? partition, DestinationUri uri)
    {
        if (partition is not null && !uri.AcceptsConcurrentWriters)
            throw new ConfigException($"--partition {partition} needs a PostgreSQL destination, which several processes load at once; {uri} takes one writer at a time (sync it without --partition)");
    }

    private async Task<SyncResult> RunAsync(CancellationToken stop, CancellationToken ct)
    {
        var r = _request;
        // Warnings about the file name keys only, never values; the console log redacts every loaded secret anyway.
        var settings = ConfigLoader.Load(r.ConfigPath, log: _env.Console) with { Partition = r.Partition };
        var uri = DestinationUri.Parse(r.Destination ?? settings.Destination);
        RequireConcurrentWriters(r.Partition, uri);
        if (r.RunGroup is { } group && !RunIds.IsWellFormed(group))
            throw new ConfigException($"--run-group '{group}' is not a usable id; use up to 64 letters, digits, '-' or '_'");
        // A mistyped stream name or catalog path is bad usage (exit 2), not a failed run: checked before the run is recorded.
        if (r.CatalogPath != null && r.Streams != null) throw new ConfigException("give either --catalog or --streams, not both");
        var catalogFile = r.CatalogPath is null ? null : Catalog.Load(r.CatalogPath);
        foreach (var s in r.Reset) _ = StreamRegistry.Find(s) ?? throw new ConfigException($"--reset: unknown stream '{s}'; streams: {StreamNames()}");
        _wanted = r.Streams is null ? null : ParseStreams(r.Streams);
        _catalogFile = catalogFile;
        var progress = _env.Progress ?? SyncEnvironment.NoProgress;
        var console = progress.Wrap(_env.Console);
        if (!r.Recorded) return await ExecuteAsync(settings, uri, console, console, progress, null, stop, ct);

        await using var run = await BeginOrRecordLocallyAsync(uri, settings, console, r.Trigger, ct, r.RunGroup);
        try
        {
            return await ExecuteAsync(settings, uri, console, run.Log, progress, run, stop, ct);
        }
        catch (OperationCanceledException e) when (stop.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            await RecordFailureAsync(run, e, console);
            return new SyncResult(new RunOutcome(RunStatus.Cancelled, "stopped by signal", ExitCodes.RunFailed, run.RunId), _loader?.Snapshot(), uri.Display, run.Metrics, []);
        }
        catch (Exception e)
        {
            var error = DiskFull.Describe(e, uri.Display) ?? e;
            await RecordFailureAsync(run, error, console);
            if (ReferenceEquals(error, e)) throw;
            throw error;
        }
    }

    /// <summary>Records the failure in the run history; a history that cannot take it is a warning, never what the
    /// user reads instead of the failure itself.</summary>
    private async Task RecordFailureAsync(RunSession run, Exception error, ILog console)
    {
        try { await run.FailedAsync(error, _loader?.Snapshot()); }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            console.Warn($"run {run.RunId}: its failure could not be recorded in any run history ({e.Message.Split('\n')[0].Trim()})");
        }
    }

    /// <summary><see cref="BeginRunAsync"/>; when the destination cannot be opened, the failed run is recorded in the
    /// local run history (<see cref="LocalRunHistory"/>), since the destination cannot hold it, and the error rethrown.</summary>
    private static async Task<RunSession> BeginOrRecordLocallyAsync(DestinationUri uri, JiraSyncConfig settings, ILog console, string trigger,
        CancellationToken ct, string? runGroup)
    {
        try { return await BeginRunAsync(uri, settings, console, trigger, ct, runGroup: runGroup); }
        catch (DestinationOpenException e)
        {
            await RecordUnopenedAsync(uri, settings, trigger, e, console);
            throw;
        }
    }

    private static async Task RecordUnopenedAsync(DestinationUri uri, JiraSyncConfig settings, string trigger, Exception error, ILog console)
    {
        var dir = LocalRunHistory.DirectoryFor(uri);
        try
        {
            await using var store = LocalRunHistory.Open(uri);
            // The failure's line reaches the console once, from whoever reports the error; the recorder writes only its log file.
            await using var recorder = await RunRecorder.StartAsync(store, settings, new RunRecorderOptions { Trigger = trigger });
            await recorder.FailAsync(error);
            RecordedFailure.Forget(error);
            console.Info($"run {recorder.RunId} is recorded in the local run history {dir} (`jirasync runs` shows it with the destination's runs)");
        }
        catch (Exception e) when (UserFile.IsFileError(e))
        {
            console.Warn($"the failed run could not be recorded in the local run history {dir}: {e.Message.TrimEnd('.')}");
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
        if (run is not null) { run.Metrics = client.Metrics; run.Concurrency = client.Concurrency; }
        // A recorded run ends with its reconciliation; the sweep collects Jira's counts for it as it reads.
        var tally = run is null ? null : new IssueTally { Partition = settings.Partition };
        // Each unit's requests, counted in its own async flow: the run history's per-stream figures and the live display's.
        var units = run?.UnitObserver ?? new UnitClock(TimeProvider.System);
        var tap = new TapRunner(client, settings, log) { Tally = tally, Observer = units };
        var selection = await SelectionAsync(tap, ct);

        await using var dest = await uri.OpenAsync(log, ct);
        dest.StateKey = StateKeyFor(settings); // each Jira site / project partition resumes from its own state
        dest.SharedWithOtherLoads = settings.Partition is not null;
        if (r.Reset.Count > 0)
        {
            await dest.WriteStateAsync(SyncPipeline.ForgetBookmarks(await dest.ReadStateAsync(ct), r.Reset), ct);
            log.Info($"forgot the bookmarks of {string.Join(", ", r.Reset)}");
        }
        if (run is not null) run.StateBefore = await dest.ReadStateAsync(ct);

        var loader = _loader = new Loader(dest, log, new LoadOptions { BatchRows = r.BatchRows, MemoryBudgetBytes = SyncPipeline.BatchBytes, SqlBatchHooks = AnalyticsHook.ForJiraLoads() });
        log.Info($"syncing {settings.BaseUrl.GetLeftPart(UriPartial.Authority)} into {dest.Name}");
        var report = await progress.RunAsync(loader, client.Metrics,
            () => SyncPipeline.RunAsync(tap, selection, dest, loader, log, ct, run is null ? null : output => run.Observe(output, stop)), client.Gate, units);
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
