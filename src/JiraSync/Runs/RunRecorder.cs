using JiraSync.Config;
using JiraSync.Errors;
using JiraSync.Jira;
using JiraSync.Logging;

namespace JiraSync.Runs;

/// <summary>Optional settings of <see cref="RunRecorder.StartAsync"/>.</summary>
internal sealed record RunRecorderOptions
{
    /// <summary>"sync" or "schedule" (or "target"): stored with the run.</summary>
    public string Trigger { get; init; } = "sync";
    /// <summary>The console log; the recorder's <see cref="RunRecorder.Log"/> writes to it and to the run's log file.</summary>
    public ILog? Console { get; init; }
    /// <summary>The selected catalog's JSON, folded into the config fingerprint.</summary>
    public string? CatalogJson { get; init; }
    /// <summary>Set by callers that hold the destination lock: any run still marked "running" then belongs to a
    /// process that died, and is marked interrupted.</summary>
    public bool HoldsDestinationLock { get; init; }
    /// <summary>The Jira client's counters; their totals are stored with the run when it finishes.</summary>
    public JiraClientMetrics? Metrics { get; init; }
    public TimeProvider Clock { get; init; } = TimeProvider.System;
    /// <summary>Write no extraction log file (tests of the store alone).</summary>
    public bool WithoutLogFile { get; init; }
}

/// <summary>
/// Records one run in the run history: a "running" row when it starts, a loading-report row per stream as each
/// finishes, the outcome at the end, and the extraction log file throughout. The API `sync` calls:
/// <code>
/// await using var run = await RunRecorder.StartAsync(store, config, new() { Console = log, Metrics = api.Metrics });
/// ... use run.Log for every log line of the run ...
/// await run.StreamFinishedAsync(stats);            // per stream
/// await run.FinishAsync(RunStatus.Succeeded);       // or run.FailAsync(exception)
/// </code>
/// Disposing an unfinished recorder records the run as failed, so no run stays "running" after an exception.
/// </summary>
internal sealed class RunRecorder : IAsyncDisposable
{
    private readonly IRunStore _store;
    private readonly RunRecorderOptions _options;
    private readonly RunLogFile? _file;
    private readonly Redactor _redactor;
    private RunRecord _run;
    private bool _finished;

    private RunRecorder(IRunStore store, RunRecorderOptions options, RunRecord run, RunLogFile? file, ILog log, Redactor redactor)
    {
        _store = store; _options = options; _run = run; _file = file; Log = log; _redactor = redactor; Metrics = options.Metrics;
    }

    public string RunId => _run.RunId;
    public RunRecord Run => _run;
    /// <summary>Every line of the run goes here: to the console log and, with Debug lines, to the extraction log.</summary>
    public ILog Log { get; }
    public string? LogPath => _file?.Path;
    /// <summary>The Jira client's counters, stored as the run's totals when it finishes (settable because the
    /// client is usually created after the run starts, with the run's log).</summary>
    public JiraClientMetrics? Metrics { get; set; }

    public static async Task<RunRecorder> StartAsync(IRunStore store, JiraSyncConfig config, RunRecorderOptions? options = null, CancellationToken ct = default)
    {
        options ??= new RunRecorderOptions();
        var started = options.Clock.GetUtcNow();
        var runId = RunIds.New(started);
        var redactor = new Redactor(config.Secrets());
        var file = options.WithoutLogFile ? null : new RunLogFile(store.LogDirectory, runId, redactor, options.Clock);
        ILog log = (options.Console, file) switch
        {
            ({ } c, { } f) => new TeeLog(c, f),
            ({ } c, null) => c,
            (null, { } f) => f,
            _ => new MemoryLog(),
        };
        var run = new RunRecord
        {
            RunId = runId, StartedAt = started, Status = RunStatus.Running,
            ConfigFingerprint = ConfigFingerprint.Of(config, options.CatalogJson),
            Trigger = options.Trigger, Source = config.BaseUrl.GetLeftPart(UriPartial.Authority), LogPath = file?.Path,
        };
        try
        {
            if (options.HoldsDestinationLock) await MarkInterruptedAsync(store, runId, log, ct);
            await store.SaveRunAsync(run, ct);
        }
        catch
        {
            file?.Dispose();
            throw;
        }
        log.Info($"run {runId} started; extraction log: {file?.Path ?? "(none)"}");
        return new RunRecorder(store, options, run, file, log, redactor);
    }

    private static async Task MarkInterruptedAsync(IRunStore store, string runId, ILog log, CancellationToken ct)
    {
        foreach (var stale in (await store.ListRunsAsync(200, ct: ct)).Where(r => r.Status == RunStatus.Running && r.RunId != runId))
        {
            log.Warn($"run {stale.RunId} never finished (its process ended); marking it interrupted");
            await store.SaveRunAsync(stale with { Status = RunStatus.Interrupted, Error = "the process ended before the run finished" }, ct);
        }
    }

    /// <summary>A stream to count into; its clock starts now.</summary>
    public StreamStats StartStream(string stream, string? bookmarkBefore = null) =>
        new(stream) { StartedAt = _options.Clock.GetUtcNow(), BookmarkBefore = bookmarkBefore };

    public Task StreamFinishedAsync(StreamStats stats, CancellationToken ct = default) =>
        StreamFinishedAsync(stats, _options.Clock.GetUtcNow(), ct);

    /// <summary>Saves the stream's loading-report row, as finished at <paramref name="finishedAt"/>.</summary>
    public async Task StreamFinishedAsync(StreamStats stats, DateTimeOffset finishedAt, CancellationToken ct = default)
    {
        var record = stats.ToRecord(RunId, finishedAt);
        if (record.Error is { } e) record = record with { Error = _redactor.Redact(e) };
        await _store.SaveStreamAsync(record, ct);
        Log.Debug($"stream {record.Stream}: {record.RecordsExtracted} extracted, {record.RowsInserted} inserted, " +
                 $"{record.RowsUpdated} updated, {record.RowsDeleted} marked deleted, {record.HttpRequests} requests in {record.Duration.TotalSeconds:0.000}s");
    }

    public async Task FinishAsync(RunStatus status, string? error = null, CancellationToken ct = default)
    {
        if (_finished) return;
        _finished = true;
        // Exception messages are meant to be secret-free; redacting again costs nothing and the table outlives logs.
        error = error is null ? null : _redactor.Redact(error);
        var m = Metrics;
        _run = _run with
        {
            FinishedAt = _options.Clock.GetUtcNow(), Status = status, Error = error,
            HttpRequests = m?.Requests ?? 0, Retries = m?.Retries ?? 0, RateLimited = m?.RateLimited ?? 0, Bytes = m?.BytesReceived ?? 0,
        };
        var line = $"run {RunId} {status.ToText()} in {_run.Duration!.Value.TotalSeconds:0.0}s" + (error is null ? "" : $": {error}");
        if (status == RunStatus.Failed) Log.Error(line); else Log.Info(line);
        try
        {
            // Saving the outcome must not be cancelled by the signal that cancelled the run.
            await _store.SaveRunAsync(_run, CancellationToken.None);
        }
        finally
        {
            _file?.Dispose();
            RunLogFile.Prune(_store.LogDirectory);
        }
    }

    /// <summary>Records the exception's one-line message (never a stack trace) as the run's failure, and marks the
    /// exception as recorded (<see cref="RecordedRunId"/>): the run's own log already has its "run … failed" line.</summary>
    public Task FailAsync(Exception error, CancellationToken ct = default)
    {
        error.Data[RecordedKey] = RunId;
        return error switch
        {
            OperationCanceledException => FinishAsync(RunStatus.Cancelled, "stopped by signal", ct),
            JiraSyncException j => FinishAsync(RunStatus.Failed, j.Message, ct),
            _ => FinishAsync(RunStatus.Failed, $"{error.GetType().Name}: {error.Message}", ct),
        };
    }

    private const string RecordedKey = "jirasync.recorded-run";

    /// <summary>The id of the run whose failure <paramref name="error"/> was recorded (and logged) as, or null.</summary>
    public static string? RecordedRunId(Exception error) => error.Data[RecordedKey] as string;

    public async ValueTask DisposeAsync()
    {
        if (!_finished) await FinishAsync(RunStatus.Failed, "the run ended without reporting an outcome");
    }
}
