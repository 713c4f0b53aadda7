using System.Text.Json.Nodes;
using System.Threading.Channels;
using JiraSync.Jira;
using JiraSync.Singer;

namespace JiraSync.Runs;

/// <summary>
/// Measures each unit of extraction (a stream, or the issue family that shares one sweep) between the tap and the
/// loader: the tap writes a STATE naming the unit it starts in `currently_syncing`, and units run one after
/// another, so the time and the Jira client's counters between two such changes belong to that unit. It sees the
/// messages as the tap writes them, not as the loader drains them, so the figures are the extraction's own.
/// </summary>
internal sealed class UnitClock(ChannelWriter<SingerMessage> inner, JiraClientMetrics metrics, TimeProvider clock, CancellationToken stop = default)
    : ChannelWriter<SingerMessage>
{
    public sealed record Window(string Unit, DateTimeOffset Started, TimeSpan Duration, long Requests, long Retries, long RateLimited, long Bytes);

    private readonly object _gate = new();
    private readonly List<Window> _closed = [];
    private (string Unit, DateTimeOffset At, long Requests, long Retries, long RateLimited, long Bytes)? _open;

    /// <summary>The unit being extracted now (the one a failure belongs to), or null.</summary>
    public string? Current { get { lock (_gate) return _open?.Unit; } }

    public override bool TryWrite(SingerMessage item)
    {
        stop.ThrowIfCancellationRequested();
        if (!inner.TryWrite(item)) return false;
        Observe(item);
        return true;
    }

    public override async ValueTask WriteAsync(SingerMessage item, CancellationToken cancellationToken = default)
    {
        // A stop request ends extraction at the next message; everything written before it is loaded.
        stop.ThrowIfCancellationRequested();
        await inner.WriteAsync(item, cancellationToken);
        Observe(item);
    }

    public override ValueTask<bool> WaitToWriteAsync(CancellationToken cancellationToken = default) => inner.WaitToWriteAsync(cancellationToken);
    public override bool TryComplete(Exception? error = null) => inner.TryComplete(error);

    private void Observe(SingerMessage item)
    {
        if (item is not StateMessage { Value: var state }) return;
        var unit = state["currently_syncing"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        lock (_gate)
        {
            if (_open?.Unit == unit) return;
            CloseOpen();
            if (unit is not null)
                _open = (unit, clock.GetUtcNow(), metrics.Requests, metrics.Retries, metrics.RateLimited, metrics.BytesReceived);
        }
    }

    private void CloseOpen()
    {
        if (_open is not { } o) return;
        _closed.Add(new Window(o.Unit, o.At, clock.GetUtcNow() - o.At, metrics.Requests - o.Requests, metrics.Retries - o.Retries,
            metrics.RateLimited - o.RateLimited, metrics.BytesReceived - o.Bytes));
        _open = null;
    }

    /// <summary>Closes the window still open (a failed or cancelled run) and returns every unit's figures summed
    /// (a resumed unit can appear twice).</summary>
    public IReadOnlyDictionary<string, Window> Finish()
    {
        lock (_gate)
        {
            CloseOpen();
            return _closed.GroupBy(w => w.Unit).ToDictionary(g => g.Key, g => new Window(g.Key, g.Min(w => w.Started),
                TimeSpan.FromTicks(g.Sum(w => w.Duration.Ticks)), g.Sum(w => w.Requests), g.Sum(w => w.Retries),
                g.Sum(w => w.RateLimited), g.Sum(w => w.Bytes)));
        }
    }
}
