using JiraSync.Jira;
using JiraSync.Singer;

namespace JiraSync.Runs;

/// <summary>
/// Measures each unit of extraction (a stream, or the issue family that shares one sweep): the tap tells it when a
/// unit starts and ends, from inside the unit's own async flow, and the Jira client counts that flow's requests,
/// retries, 429s and bytes into the unit's own counters (<see cref="JiraClientMetrics.AlsoCountInto"/>). Units may run
/// at the same time; each unit's window and counts are its own. A request of a read shared by several units (the
/// project list) counts for the unit that asked first.
/// </summary>
public sealed class UnitClock(TimeProvider clock) : ITapUnitObserver
{
    /// <summary>One unit's figures: when it started, how long it ran, its requests, and how it ended.</summary>
    /// <param name="Unit">The unit's name.</param>
    /// <param name="Started">When it started.</param>
    /// <param name="Duration">How long it ran (until now for a unit still open when <see cref="Finish"/> is called).</param>
    /// <param name="Requests">Requests it made.</param>
    /// <param name="Retries">Of which retries.</param>
    /// <param name="RateLimited">429 answers it got.</param>
    /// <param name="Bytes">Answer bytes it received.</param>
    /// <param name="Error">Why it did not complete (null when it did, or is still open).</param>
    public sealed record Window(string Unit, DateTimeOffset Started, TimeSpan Duration, long Requests, long Retries, long RateLimited, long Bytes,
        Exception? Error = null);

    private readonly object _gate = new();
    private readonly List<Window> _closed = [];
    private readonly Dictionary<string, (DateTimeOffset At, JiraClientMetrics Counts)> _open = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public void UnitStarted(string unit)
    {
        var counts = new JiraClientMetrics();
        lock (_gate) _open[unit] = (clock.GetUtcNow(), counts);
        JiraClientMetrics.AlsoCountInto(counts);
    }

    /// <inheritdoc/>
    public void UnitFinished(string unit, Exception? error)
    {
        JiraClientMetrics.AlsoCountInto(null);
        lock (_gate) Close(unit, error);
    }

    private void Close(string unit, Exception? error)
    {
        if (!_open.Remove(unit, out var o)) return;
        var c = o.Counts;
        _closed.Add(new Window(unit, o.At, clock.GetUtcNow() - o.At, c.Requests, c.Retries, c.RateLimited, c.BytesReceived, error));
    }

    /// <summary>One unit's figures so far, for a live display.</summary>
    /// <param name="Unit">The unit's name (a stream name; "issues" for the issue family).</param>
    /// <param name="Requests">Requests it made so far (each retry is one more).</param>
    /// <param name="Retries">Of which retries.</param>
    /// <param name="RateLimited">429 answers it got.</param>
    /// <param name="Running">True while the unit runs (its requests wait at the client's rate-limit pause too).</param>
    public sealed record Progress(string Unit, long Requests, long Retries, long RateLimited, bool Running);

    /// <summary>Every unit started so far: its ended windows summed with the open one's counts until now. Safe to call
    /// from any thread while units run; leaves the windows open.</summary>
    public IReadOnlyList<Progress> Snapshot()
    {
        lock (_gate)
        {
            var figures = _closed.Select(w => new Progress(w.Unit, w.Requests, w.Retries, w.RateLimited, false))
                .Concat(_open.Select(o => new Progress(o.Key, o.Value.Counts.Requests, o.Value.Counts.Retries, o.Value.Counts.RateLimited, true)));
            return figures.GroupBy(p => p.Unit, StringComparer.Ordinal)
                .Select(g => new Progress(g.Key, g.Sum(p => p.Requests), g.Sum(p => p.Retries), g.Sum(p => p.RateLimited), g.Any(p => p.Running)))
                .ToList();
        }
    }

    /// <summary>Closes the windows still open (a failed or cancelled run) and returns every unit's figures summed
    /// (a resumed unit can appear twice); a unit's error is its last window's.</summary>
    public IReadOnlyDictionary<string, Window> Finish()
    {
        lock (_gate)
        {
            foreach (var unit in _open.Keys.ToList()) Close(unit, null);
            return _closed.GroupBy(w => w.Unit).ToDictionary(g => g.Key, g => new Window(g.Key, g.Min(w => w.Started),
                TimeSpan.FromTicks(g.Sum(w => w.Duration.Ticks)), g.Sum(w => w.Requests), g.Sum(w => w.Retries),
                g.Sum(w => w.RateLimited), g.Sum(w => w.Bytes), g.Last().Error));
        }
    }
}
