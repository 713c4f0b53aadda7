namespace JiraSync.Streams;

/// <summary>
/// Which unit a run's STATE names in <c>currently_syncing</c> while several run at once: the first, in this run's
/// order, that has started and not completed (null when none is running). A resumed run starts at that unit, as
/// singer-python's rotation does, and the units after it run again from their own bookmarks; with one unit at a time
/// this is simply the unit running. Thread-safe.
/// </summary>
internal sealed class UnitOrder(IEnumerable<string> units)
{
    private readonly List<string> _order = units.ToList();
    private readonly HashSet<string> _started = new(StringComparer.Ordinal);
    private readonly HashSet<string> _completed = new(StringComparer.Ordinal);

    /// <summary>Marks <paramref name="unit"/> started; returns the unit to name now.</summary>
    public string? Start(string unit)
    {
        lock (_order) { _started.Add(unit); return Current(); }
    }

    /// <summary>Marks <paramref name="unit"/> completed; returns the unit to name now.</summary>
    public string? Finish(string unit)
    {
        lock (_order) { _completed.Add(unit); return Current(); }
    }

    private string? Current() => _order.FirstOrDefault(u => _started.Contains(u) && !_completed.Contains(u));
}
