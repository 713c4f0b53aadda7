namespace JiraSync.Singer;

/// <summary>
/// Told when a tap starts and ends a unit of extraction (one stream, or the streams one sweep feeds, named after the
/// first; `currently_syncing` names units the same way). Units may run at the same time; each call is made from inside
/// the unit's own async flow, so an <see cref="AsyncLocal{T}"/> set in <see cref="UnitStarted"/> holds for all of the
/// unit's work (its requests) and for nothing else. Implementations must be thread-safe.
/// </summary>
public interface ITapUnitObserver
{
    /// <summary>The unit starts (in its own async flow, before its first request).</summary>
    /// <param name="unit">The unit's name (a stream name).</param>
    void UnitStarted(string unit);

    /// <summary>The unit ended: completed (<paramref name="error"/> null), failed, or cancelled
    /// (an <see cref="OperationCanceledException"/>, also when a sibling unit's failure stopped it).</summary>
    /// <param name="unit">The unit's name.</param>
    /// <param name="error">Why it did not complete, or null.</param>
    void UnitFinished(string unit, Exception? error);
}
