namespace JiraSync.Runs;

/// <summary>
/// A run as `jirasync runs` shows it: one whole-site run, or the partitions of one partitioned run (<c>sync --partition
/// i/n</c>, several processes at once), which are recorded one row per process in <c>_jirasync_runs</c> and shown as one.
/// Partitions belong together when they carry the same <see cref="RunRecord.RunGroup"/> (<c>--run-group</c>, e.g. the
/// orchestrator's run id); without one, partition runs of the same site, config and partition count that started within
/// <see cref="Window"/> of the group's first are one run (one run per partition index).
/// </summary>
/// <param name="Id">The group's id: the <c>--run-group</c> value, else the run id of its earliest partition; for a
/// whole-site run, its run id.</param>
/// <param name="Members">The runs, in partition order (one for a whole-site run).</param>
public sealed record RunGroup(string Id, IReadOnlyList<RunRecord> Members)
{
    /// <summary>How far apart partitions without a <c>--run-group</c> may start and still be one run.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    /// <summary>True for the partitions of one partitioned run (even when only some of them are recorded).</summary>
    public bool IsPartitioned => Members[0].Partition is not null;

    /// <summary>The earliest start.</summary>
    public DateTimeOffset StartedAt => Members.Min(m => m.StartedAt);

    /// <summary>The last finish; null while a member runs.</summary>
    public DateTimeOffset? FinishedAt => Members.Any(m => m.FinishedAt is null) ? null : Members.Max(m => m.FinishedAt);

    /// <summary>From the earliest start to the last finish.</summary>
    public TimeSpan? Duration => FinishedAt - StartedAt;

    /// <summary>Running while a member runs; else the worst outcome: failed, interrupted, cancelled, succeeded.</summary>
    public RunStatus Status =>
        Members.Any(m => m.Status == RunStatus.Running) ? RunStatus.Running
        : new[] { RunStatus.Failed, RunStatus.Interrupted, RunStatus.Cancelled }.FirstOrDefault(s => Members.Any(m => m.Status == s), RunStatus.Succeeded);

    /// <summary>Sums a figure over the members.</summary>
    public long Sum(Func<RunRecord, long> figure) => Members.Sum(figure);

    /// <summary>Groups runs (any order) as <c>runs</c> shows them, newest first.</summary>
    public static IReadOnlyList<RunGroup> Of(IEnumerable<RunRecord> runs)
    {
        var groups = new List<(string Id, List<RunRecord> Runs)>();
        var named = new Dictionary<string, List<RunRecord>>(StringComparer.Ordinal);
        foreach (var run in runs.OrderBy(r => r.StartedAt).ThenBy(r => r.RunId, StringComparer.Ordinal))
        {
            if (run.Partition is null) { groups.Add((run.RunId, [run])); continue; }
            if (run.RunGroup is { } name)
            {
                if (!named.TryGetValue(name, out var members)) { named[name] = members = []; groups.Add((name, members)); }
                members.Add(run);
                continue;
            }
            var open = groups.LastOrDefault(g => g.Runs[0] is { RunGroup: null, Partition: not null } first
                && first.Source == run.Source && first.ConfigFingerprint == run.ConfigFingerprint && Count(first) == Count(run)
                && run.StartedAt - first.StartedAt <= Window && g.Runs.All(m => m.Partition != run.Partition));
            if (open.Runs is { } joined) joined.Add(run);
            else groups.Add((run.RunId, [run]));
        }
        return groups.Select(g => new RunGroup(g.Id, g.Runs.OrderBy(r => Index(r)).ThenBy(r => r.StartedAt).ToList()))
            .OrderByDescending(g => g.StartedAt).ThenByDescending(g => g.Id, StringComparer.Ordinal).ToList();
    }

    private static string? Count(RunRecord r) => r.Partition?[(r.Partition.IndexOf('/') + 1)..];

    private static int Index(RunRecord r) =>
        r.Partition is { } p && int.TryParse(p[..Math.Max(0, p.IndexOf('/'))], out var i) ? i : 0;
}
