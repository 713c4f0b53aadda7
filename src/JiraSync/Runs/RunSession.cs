using System.Text.Json.Nodes;
using System.Threading.Channels;
using JiraSync.Config;
using JiraSync.Errors;
using JiraSync.Jira;
using JiraSync.Loading;
using JiraSync.Logging;
using JiraSync.Singer;

namespace JiraSync.Runs;

/// <summary>
/// One recorded run of `sync` against a destination: holds the destination's run lock for the whole run (so two
/// runs never load into one destination at once), records the run in `_jirasync_runs`, writes its extraction log,
/// and at the end turns the loader's counts, the extraction clock and the state before and after into one
/// `_jirasync_run_streams` row per stream. `sync` uses it like this:
/// <code>
/// await using var run = await RunSession.BeginAsync(await uri.LockAsync(ct), uri.OpenRunStore(), config, consoleLog, "sync", ct);
/// // build the client and tap with run.Log; run.Metrics = client.Metrics; run.StateBefore = await dest.ReadStateAsync(ct);
/// try { report = ...SyncPipeline.RunAsync(..., observe: run.Observe); await run.SucceededAsync(report); }
/// catch (Exception e) { await run.FailedAsync(e, loader.Snapshot()); throw; }
/// </code>
/// </summary>
internal sealed class RunSession : IAsyncDisposable
{
    private readonly IAsyncDisposable _lock;
    private readonly IRunStore _store;
    private readonly RunRecorder _recorder;
    private readonly TimeProvider _clock;
    private readonly UnitClock _units;

    private RunSession(IAsyncDisposable runLock, IRunStore store, RunRecorder recorder, TimeProvider clock)
    {
        _lock = runLock; _store = store; _recorder = recorder; _clock = clock;
        _units = new UnitClock(clock);
    }

    /// <summary>Give to the tap (<c>TapRunner.Observer</c>): times each unit of extraction and counts its requests (which
    /// the progress display reads live, <see cref="UnitClock.Snapshot"/>).</summary>
    public UnitClock UnitObserver => _units;

    /// <summary>The run's id, e.g. <c>20261128T174444Z-e4de</c>.</summary>
    public string RunId => _recorder.RunId;
    /// <summary>The extraction log's path, or null when the run has none.</summary>
    public string? LogPath => _recorder.LogPath;
    /// <summary>Log every line of the run here: the console and the extraction log (which keeps Debug lines too).</summary>
    public ILog Log => _recorder.Log;
    /// <summary>The Jira client's counters, for the run totals and the per-stream figures.</summary>
    public JiraClientMetrics Metrics
    {
        get => _recorder.Metrics ??= new JiraClientMetrics();
        set => _recorder.Metrics = value;
    }
    /// <summary>The Jira client's concurrency limit, whose changes over the run are stored with it.</summary>
    public AdaptiveConcurrency? Concurrency
    {
        get => _recorder.Concurrency;
        set => _recorder.Concurrency = value;
    }
    /// <summary>Selected streams the tap skipped (Jira refused what they need), with why; recorded as the stream's error
    /// text "skipped: …" while the run itself succeeds.</summary>
    public IReadOnlyDictionary<string, string> Skipped { get; set; } = new Dictionary<string, string>();

    /// <summary>The destination's state before the run (bookmarks before).</summary>
    public JsonObject? StateBefore { get; set; }

    /// <summary>Records the run as started in <paramref name="store"/>, taking ownership of the destination's run lock
    /// (already held) and of the store: both are released when the session is disposed, or at once if starting fails.</summary>
    /// <param name="runLock">The destination's run lock, already held (of the run's partition, when partitioned).</param>
    /// <param name="store">The run history.</param>
    /// <param name="config">The run's config; its <see cref="JiraSyncConfig.Partition"/> is recorded with the run.</param>
    /// <param name="console">The console log.</param>
    /// <param name="trigger">"sync" or "schedule".</param>
    /// <param name="ct">Cancels starting.</param>
    /// <param name="clock">The clock (tests).</param>
    /// <param name="runGroup">Groups the partitions of one run (<c>--run-group</c>); null: none given.</param>
    /// <exception cref="Errors.ConfigException"><paramref name="runGroup"/> is the id of a recorded run (exit 2).</exception>
    public static async Task<RunSession> BeginAsync(IAsyncDisposable runLock, IRunStore store, JiraSyncConfig config, ILog console, string trigger,
        CancellationToken ct = default, TimeProvider? clock = null, string? runGroup = null)
    {
        clock ??= TimeProvider.System;
        try
        {
            // `runs ID` opens a run before a group: a group named like a run could not be opened by its name.
            if (runGroup is not null && await store.GetRunAsync(runGroup, ct) is not null)
                throw new Errors.ConfigException($"--run-group '{runGroup}' is the id of a recorded run; give the partitioned run an id of its own (e.g. the orchestrator's run id)");
            var recorder = await RunRecorder.StartAsync(store, config, new RunRecorderOptions
            {
                Console = console, Trigger = trigger, HoldsDestinationLock = true, Clock = clock, RunGroup = runGroup,
            }, ct);
            return new RunSession(runLock, store, recorder, clock);
        }
        catch
        {
            await store.DisposeAsync();
            await runLock.DisposeAsync();
            throw;
        }
    }

    /// <summary>Pass to SyncPipeline: wraps the tap's output so that extraction ends when <paramref name="stop"/> fires
    /// (the tap's next write throws), and the loader commits what it has and returns.</summary>
    /// <param name="tapOutput">The loader's channel.</param>
    /// <param name="stop">Ends extraction.</param>
    public ChannelWriter<SingerMessage> Observe(ChannelWriter<SingerMessage> tapOutput, CancellationToken stop = default) =>
        new StoppableWriter(tapOutput, stop);

    /// <summary>Stores the run's reconciliation in `_jirasync_reconciliation` (or its jsonl file).</summary>
    public Task SaveReconciliationAsync(Reconciliation.ReconciliationReport report, CancellationToken ct = default) =>
        _store.SaveReconciliationAsync(report, ct);

    /// <summary>Records the run as succeeded, with one stream row per loaded or timed stream.</summary>
    public async Task SucceededAsync(LoadReport report)
    {
        await SaveStreamsAsync(report, null);
        await _recorder.FinishAsync(RunStatus.Succeeded, null, CancellationToken.None);
    }

    /// <summary>Records what was loaded before the failure and the failure's one-line reason.</summary>
    public async Task FailedAsync(Exception error, LoadReport? loadedSoFar)
    {
        // The run's outcome is saved even when its stream rows cannot be (then the save's error is thrown after it).
        try { await SaveStreamsAsync(loadedSoFar, error); }
        finally { await _recorder.FailAsync(error, CancellationToken.None); }
    }

    private async Task SaveStreamsAsync(LoadReport? report, Exception? failure)
    {
        var windows = _units.Finish();
        var streams = (report?.Streams.Keys ?? []).Union(windows.Keys).Union(Skipped.Keys).Order(StringComparer.Ordinal);
        var stateAfter = report?.State;
        foreach (var name in streams)
        {
            var stats = new StreamStats(name)
            {
                BookmarkBefore = Bookmark(StateBefore, name),
                BookmarkAfter = Bookmark(stateAfter ?? StateBefore, name),
            };
            if (report?.Streams.GetValueOrDefault(name) is { } c)
            {
                stats.AddExtracted(c.Received); stats.AddInserted(c.Inserted); stats.AddUpdated(c.Updated); stats.AddDeleted(c.MarkedDeleted);
            }
            // The issue family is one sweep reported under "issues"; its child streams carry counts but no clock.
            var finishedAt = _clock.GetUtcNow();
            if (windows.GetValueOrDefault(name) is { } w)
            {
                stats.AddHttp(w.Requests, w.Retries, w.RateLimited, w.Bytes);
                stats.StartedAt = w.Started;
                finishedAt = w.Started + w.Duration;
            }
            if (Skipped.GetValueOrDefault(name) is { } why) stats.Error = $"skipped: {why}";
            // A unit that did not complete: the one that failed carries the run's error; the others it stopped (or a stop
            // signal stopped) are cancelled.
            if (failure is not null && windows.GetValueOrDefault(name)?.Error is { } e)
            {
                stats.Status = e is OperationCanceledException ? RunStatus.Cancelled : RunStatus.Failed;
                stats.Error = e switch
                {
                    OperationCanceledException when failure is OperationCanceledException => "stopped by signal",
                    OperationCanceledException => "stopped when another stream failed",
                    JiraSyncException j => j.Message,
                    _ => e.GetType().Name + ": " + e.Message,
                };
            }
            await _recorder.StreamFinishedAsync(stats, finishedAt, CancellationToken.None);
        }
    }

    /// <summary>A stream's bookmark as compact JSON with its keys sorted (PostgreSQL's jsonb reorders keys, and
    /// "after" of one run must compare equal to "before" of the next); a single-valued bookmark as its value.</summary>
    internal static string? Bookmark(JsonObject? state, string stream)
    {
        if (state?["bookmarks"]?[stream] is not { } b) return null;
        if (b is JsonObject { Count: 1 } o && o.First().Value is JsonValue v && v.TryGetValue<string>(out var text)) return text;
        return b is JsonValue value && value.TryGetValue<string>(out var s) ? s : Sorted(b)?.ToJsonString();
    }

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => KeyValuePair.Create(kv.Key, Sorted(kv.Value)))),
        JsonArray a => new JsonArray(a.Select(Sorted).ToArray()),
        _ => node?.DeepClone(),
    };

    /// <summary>Closes the extraction log and the run history, then releases the run lock.</summary>
    public async ValueTask DisposeAsync()
    {
        try { await _recorder.DisposeAsync(); }
        finally
        {
            await _store.DisposeAsync();
            await _lock.DisposeAsync();
        }
    }
}
