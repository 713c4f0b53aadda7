namespace JiraSync.Runs;

/// <summary>What `jirasync runs` shows, read once from the store: recent runs with their stream rows, and row usage.</summary>
/// <param name="Runs">The latest runs, newest first.</param>
/// <param name="Streams">The stream rows of those runs.</param>
/// <param name="Usage">Row usage per day and month to date.</param>
/// <param name="ReadAt">When the history was read (the report's "generated" time).</param>
public sealed record RunHistory(IReadOnlyList<RunRecord> Runs, IReadOnlyList<RunStreamRecord> Streams, RowUsage Usage, DateTimeOffset ReadAt)
{
    /// <summary>The stream rows of one run, in stream order.</summary>
    /// <param name="runId">A run in <see cref="Runs"/>.</param>
    public IEnumerable<RunStreamRecord> StreamsOf(string runId) => Streams.Where(s => s.RunId == runId);

    /// <summary>The runs as `runs` lists them, newest first: the partitions of one partitioned run as one group.</summary>
    public IReadOnlyList<RunGroup> Groups => RunGroup.Of(Runs);

    /// <summary>Reconciliation rows of the runs shown (`_jirasync_reconciliation`).</summary>
    public IReadOnlyList<JiraSync.Reconciliation.ReconciliationRow> Reconciliation { get; init; } = [];

    internal IEnumerable<JiraSync.Reconciliation.ReconciliationRow> ReconciliationOf(string runId) => Reconciliation.Where(r => r.RunId == runId);

    /// <summary>Reads the latest runs, their stream and reconciliation rows, and the row usage around
    /// <paramref name="now"/> (which may need older runs than those listed).</summary>
    /// <param name="store">The destination's run history.</param>
    /// <param name="limit">How many of the latest runs to list, a partitioned run (a <see cref="RunGroup"/>) counting once
    /// with every partition recorded.</param>
    /// <param name="now">The instant usage is computed at (its UTC day is "today").</param>
    /// <param name="usageDays">Days of per-day usage, today included.</param>
    /// <param name="ct">Cancels the reads.</param>
    public static async Task<RunHistory> ReadAsync(IRunStore store, int limit, DateTimeOffset now, int usageDays = 14, CancellationToken ct = default)
    {
        var recent = await LatestGroupsAsync(store, limit, ct);
        // Usage needs every run of the month, which may be more than the runs listed.
        var forUsage = await store.ListRunsAsync(100_000, RowUsage.Since(now, usageDays), ct);
        var ids = recent.Select(r => r.RunId).Union(forUsage.Select(r => r.RunId)).ToList();
        var streams = await store.ListStreamsAsync(ids, ct);
        var usageIds = forUsage.Select(r => r.RunId).ToHashSet();
        var usage = RowUsage.Compute(forUsage, streams.Where(s => usageIds.Contains(s.RunId)), now, usageDays);
        var shown = recent.Select(r => r.RunId).ToHashSet();
        return new RunHistory(recent, streams.Where(s => shown.Contains(s.RunId)).ToList(), usage, now)
        {
            Reconciliation = await store.ListReconciliationAsync(shown, ct),
        };
    }

    /// <summary>The runs of the <paramref name="limit"/> latest groups, each whole: a limit falling inside a partitioned
    /// run would show it with some of its partitions and partial totals, so the read grows until more groups than
    /// asked for are read (the oldest may be cut; it is dropped) or the history ends.</summary>
    internal static async Task<IReadOnlyList<RunRecord>> LatestGroupsAsync(IRunStore store, int limit, CancellationToken ct)
    {
        for (var n = limit; ; n = n >= int.MaxValue / 2 ? int.MaxValue : n * 2)
        {
            var runs = await store.ListRunsAsync(n, ct: ct);
            var groups = RunGroup.Of(runs);
            var complete = runs.Count < n || n == int.MaxValue;
            if (groups.Count > limit || complete)
            {
                var kept = groups.Take(limit).SelectMany(g => g.Members).Select(m => m.RunId).ToHashSet(StringComparer.Ordinal);
                return runs.Where(r => kept.Contains(r.RunId)).ToList();
            }
        }
    }
}