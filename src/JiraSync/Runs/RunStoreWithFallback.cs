using JiraSync.Logging;

namespace JiraSync.Runs;

/// <summary>
/// The destination's run history (<paramref name="primary"/>) with a second store that takes over when the destination
/// stops accepting writes: a disk that fills mid-run, a database that fails after a write error. The failure of such a
/// run is then still recorded, in <paramref name="fallback"/> (the local run history, beside the user's state), and
/// readers see both merged: runs and stream rows by key, the fallback's copy winning (it is written only after the
/// destination's copy stopped changing).
/// </summary>
/// <remarks>Writes fail over only after the destination has accepted one (the run's "running" row): a destination that
/// cannot be opened at all fails at once, as bad usage, before any work is done.</remarks>
/// <param name="primary">The destination's own run history.</param>
/// <param name="fallback">Opens the second store (only when needed: nothing is created while the primary works).</param>
/// <param name="log">Where the one warning goes when writes move to the fallback; null for none.</param>
/// <param name="recording">True for a run being recorded: the fallback cannot be read (a damaged local file) reads as empty,
/// so it never stops a sync. False for readers (`jirasync runs`), who are told.</param>
public sealed class RunStoreWithFallback(IRunStore primary, Func<IRunStore> fallback, ILog? log = null, bool recording = false) : IRunStore
{
    private IRunStore? _fallback;
    private bool _primaryWrote;
    private bool _failedOver;

    /// <summary>The first write error of the destination's history after which writes went to the fallback, or null.</summary>
    public Exception? PrimaryError { get; private set; }

    /// <inheritdoc/>
    public string Description => primary.Description;

    /// <inheritdoc/>
    public string LogDirectory => primary.LogDirectory;

    private IRunStore Fallback => _fallback ??= fallback();

    /// <inheritdoc/>
    public Task SaveRunAsync(RunRecord run, CancellationToken ct = default) => WriteAsync(s => s.SaveRunAsync(run, ct));

    /// <inheritdoc/>
    public Task SaveStreamAsync(RunStreamRecord stream, CancellationToken ct = default) => WriteAsync(s => s.SaveStreamAsync(stream, ct));

    /// <inheritdoc/>
    public Task SaveReconciliationAsync(Reconciliation.ReconciliationReport report, CancellationToken ct = default) =>
        WriteAsync(s => s.SaveReconciliationAsync(report, ct));

    private async Task WriteAsync(Func<IRunStore, Task> write)
    {
        if (!_failedOver)
        {
            try
            {
                await write(primary);
                _primaryWrote = true;
                return;
            }
            catch (Exception e) when (_primaryWrote && e is not OperationCanceledException)
            {
                _failedOver = true;
                PrimaryError = e;
                log?.Warn($"the run history in {primary.Description} cannot be written any more ({OneLine(e)}); " +
                          $"this run is recorded in {Fallback.Description} instead, and `jirasync runs` shows both");
            }
        }
        await write(Fallback);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<RunRecord>> ListRunsAsync(int limit, DateTimeOffset? since = null, CancellationToken ct = default)
    {
        var merged = new Dictionary<string, RunRecord>();
        foreach (var r in await primary.ListRunsAsync(limit, since, ct)) merged[r.RunId] = r;
        foreach (var r in await FromFallbackAsync(f => f.ListRunsAsync(limit, since, ct), [])) merged[r.RunId] = r;
        return merged.Values.OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.RunId, StringComparer.Ordinal).Take(limit).ToList();
    }

    /// <inheritdoc/>
    public async Task<RunRecord?> GetRunAsync(string runId, CancellationToken ct = default) =>
        await FromFallbackAsync(f => f.GetRunAsync(runId, ct), null) ?? await primary.GetRunAsync(runId, ct);

    /// <inheritdoc/>
    public async Task<IReadOnlyList<RunStreamRecord>> ListStreamsAsync(IReadOnlyCollection<string> runIds, CancellationToken ct = default)
    {
        var merged = new Dictionary<(string, string), RunStreamRecord>();
        foreach (var s in await primary.ListStreamsAsync(runIds, ct)) merged[(s.RunId, s.Stream)] = s;
        foreach (var s in await FromFallbackAsync(f => f.ListStreamsAsync(runIds, ct), [])) merged[(s.RunId, s.Stream)] = s;
        return merged.Values.OrderBy(s => s.RunId, StringComparer.Ordinal).ThenBy(s => s.Stream, StringComparer.Ordinal).ToList();
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<Reconciliation.ReconciliationRow>> ListReconciliationAsync(IReadOnlyCollection<string> runIds, CancellationToken ct = default)
    {
        var rows = (await primary.ListReconciliationAsync(runIds, ct)).ToList();
        rows.AddRange(await FromFallbackAsync(f => f.ListReconciliationAsync(runIds, ct), []));
        return rows;
    }

    private async Task<T> FromFallbackAsync<T>(Func<IRunStore, Task<T>> read, T empty)
    {
        try { return await read(Fallback); }
        catch (Exception e) when (recording && e is not OperationCanceledException)
        {
            log?.Debug($"the local run history {Fallback.Description} cannot be read ({OneLine(e)}); left out");
            return empty;
        }
    }

    /// <summary>Writes into the destination's history the end of each run it still shows as running while the fallback
    /// holds how it ended (the destination could not take it then, e.g. its disk was full): once the destination takes
    /// writes again, its own history is complete. Returns how many runs were copied.</summary>
    /// <param name="ct">Cancels the copy.</param>
    public async Task<int> CopyBackAsync(CancellationToken ct = default)
    {
        var ended = await FromFallbackAsync(f => f.ListRunsAsync(RecentRuns, null, ct), []);
        if (ended.Count == 0) return 0;
        var running = (await primary.ListRunsAsync(RecentRuns, null, ct)).Where(r => r.Status == RunStatus.Running).Select(r => r.RunId).ToHashSet();
        var copied = 0;
        foreach (var run in ended.Where(r => r.Status != RunStatus.Running && running.Contains(r.RunId)))
        {
            foreach (var stream in await FromFallbackAsync(f => f.ListStreamsAsync([run.RunId], ct), [])) await primary.SaveStreamAsync(stream, ct);
            await primary.SaveRunAsync(run, ct);
            copied++;
        }
        return copied;
    }

    private const int RecentRuns = 200;

    private static string OneLine(Exception e) => e.Message.Split('\n')[0].Trim();

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        try { await primary.DisposeAsync(); }
        finally { if (_fallback is { } f) await f.DisposeAsync(); }
    }
}
