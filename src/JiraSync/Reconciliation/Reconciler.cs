using JiraSync.Loading;
using JiraSync.Streams;
using JiraSync.Singer;

namespace JiraSync.Reconciliation;

/// <summary>
/// Compares what Jira reported (<see cref="IssueTally"/>) with the destination's live rows and gives each table a
/// verdict (<see cref="ReconciliationVerdict"/>):
/// <list type="bullet">
/// <item>issues, per project and in total: Jira's census of issue ids against live rows. An id only one side has
/// is looked up with GET issue/{id} (at most <see cref="MaxProbes"/> a run): an issue changed after
/// <see cref="IssueTally.Cutoff"/> explains a missing row; an issue that exists although search does not list it is
/// search lagging behind writes (unexplained: the row may be stale); a row of a project the user can no longer see
/// is unexplained (permission removed); in `verify`, a row whose issue is gone was deleted since the last sync
/// (explained: the next sync marks it).</item>
/// <item>changelogs, issue_comments, worklogs: per issue read, Jira's <c>total</c> on the issue against live child
/// rows with that issueId, summed over the issues checked; in `verify` an issue whose <c>updated</c> differs from
/// its row's changed since the last sync (explained).</item>
/// <item>partitioned runs (docs/scale-out.md): issues and their changelogs and comments are checked per partition, over
/// its projects; worklogs, which partition 1 writes for every project, only by partition 1, over every live issue row it
/// has totals for.</item>
/// </list>
/// Rows are matched by issue id, so a moved issue (same id, new key) counts once, under its new project.
/// </summary>
public static class Reconciler
{
    /// <summary>Issue keys listed per row at most.</summary>
    internal const int MaxAffectedKeys = 20;
    /// <summary>GET issue/{id} look-ups per run at most.</summary>
    internal const int MaxProbes = 50;
    /// <summary>The child tables compared with the totals Jira gives on each issue (tap-jira stream names).</summary>
    internal static readonly string[] ChildStreams = ["changelogs", "issue_comments", "worklogs"];

    /// <summary>The kind of a noted agreement (an issue deleted in Jira and marked so): it keeps a match a match.</summary>
    private const string Info = "info";

    /// <summary>How a reconciliation is recorded and judged.</summary>
    /// <param name="RunId">The run the rows belong to ("verify" for the `verify` command).</param>
    /// <param name="AfterSync">True for `verify` (the rows come from an earlier run), false right after a sync.</param>
    /// <param name="Now">Stored as each row's checked_at (UTC).</param>
    public sealed record Options(string RunId, bool AfterSync, DateTimeOffset Now);

    /// <summary>Reconciles the destination's live rows with <paramref name="tally"/>: one row per project of issues,
    /// one for issues in total and one per child table (or one "not checked" row when the census is incomplete or the
    /// destination has no issues table). Errors reading the destination propagate.</summary>
    /// <param name="tally">What Jira reported during the sync or `verify`'s census.</param>
    /// <param name="dest">The destination to read back (rows with <c>_sdc_deleted_at</c> null are live).</param>
    /// <param name="probe">Looks one issue up by id (<see cref="JiraCensus.ProbeAsync"/>); called at most
    /// <see cref="MaxProbes"/> times.</param>
    /// <param name="o">Run id, mode and time.</param>
    /// <param name="ct">Cancels the reads.</param>
    /// <exception cref="JiraSync.Errors.JiraSyncException">A probe failed with an error other than 404 (Jira's typed
    /// errors, exit code on the exception).</exception>
    public static async Task<ReconciliationReport> RunAsync(IssueTally tally, IDestination dest,
        Func<string, CancellationToken, Task<IssueProbe>> probe, Options o, CancellationToken ct)
    {
        var rows = new List<ReconciliationRow>();
        ReconciliationRow Row(string table, string scope, long jira, long live, ReconciliationVerdict v, string note, IEnumerable<string>? keys = null) =>
            new(o.RunId, table, scope, jira, live, v, note, (keys ?? []).Take(MaxAffectedKeys).ToList(), o.Now);

        if (!tally.CensusComplete)
        {
            rows.Add(Row("issues", "*", 0, 0, ReconciliationVerdict.Explained, tally is { Partition: { } part, NoProjectInScope: true }
                ? $"not checked: partition {part} owns no project (every project in scope hashes to another partition), so it lists no issue"
                : "not checked: issues were not listed in this run"));
            // Partition 1 still checks the worklogs it writes for the other partitions' issues (`verify` reads their totals).
            if (!tally.Totals.Values.Any(t => t.Worklogs is not null)) return new ReconciliationReport(o.RunId, rows);
        }
        var del = TableSchema.DeletedAt;
        var all = await dest.ReadRowsAsync("issues", ["id", "key", del, "updated"], liveOnly: false, ct)
                  ?? await dest.ReadRowsAsync("issues", ["id", "key", del], liveOnly: false, ct);
        if (all is null)
        {
            if (tally.CensusComplete)
                rows.Add(Row("issues", "*", tally.Census.Count, 0, ReconciliationVerdict.Explained,
                    $"not checked: {dest.Name} has no issues table to read back"));
            return new ReconciliationReport(o.RunId, rows);
        }
        var rowKey = new Dictionary<string, string>(StringComparer.Ordinal);
        var liveKey = new Dictionary<string, string>(StringComparer.Ordinal);
        var anyKey = new Dictionary<string, string>(StringComparer.Ordinal);
        var rowUpdated = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var r in all)
        {
            if (r[0] is not { } id) continue;
            anyKey[id] = r[1] ?? id;
            if (r[2] is not null) continue;
            liveKey[id] = r[1] ?? id;
            rowUpdated[id] = r.Length > 3 ? r[3] : null;
            // Another partition's (or another project-limited sync's) rows are its own to reconcile.
            if (tally.InScope is { } inScope && r[1] is { } rowKeyText && !inScope(ProjectOf(rowKeyText))) continue;
            rowKey[id] = r[1] ?? id;
        }
        if (tally.CensusComplete) await IssuesAsync();

        // Child streams: Jira's totals on the issues read, against live child rows of those issues.
        foreach (var stream in ChildStreams)
        {
            // Worklogs are written by partition 1 for every partition's issues, and checked there only.
            var worklogsSiteWide = stream == "worklogs" && tally.Partition is { Count: > 1 };
            if (worklogsSiteWide && !tally.Partition!.OwnsSiteStreams) continue;
            var ours = worklogsSiteWide ? liveKey : rowKey;
            var checkedIssues = tally.Totals.Values.Where(t => t.For(stream) is not null && ours.ContainsKey(t.Id)).ToList();
            if (checkedIssues.Count == 0) continue;
            var counts = await dest.CountLiveRowsByAsync(stream, "issueId", ct);
            if (counts is null)
            {
                rows.Add(Row(stream, "*", checkedIssues.Sum(t => t.For(stream)!.Value), 0, ReconciliationVerdict.Explained,
                    "not checked: the table is not in the destination (stream not selected?)"));
                continue;
            }
            var diffs = new List<(string Project, string Key, string? Why, string Kind)>();
            long jira = 0, have = 0;
            foreach (var t in checkedIssues)
            {
                var total = t.For(stream)!.Value;
                var n = counts.GetValueOrDefault(t.Id);
                jira += total;
                have += n;
                if (n == total) continue;
                string? why = null;
                if (o.AfterSync && !SameInstant(t.Updated, rowUpdated.GetValueOrDefault(t.Id)))
                    why = "issue changed in Jira since the last sync";
                else if (stream == "worklogs" && n < total && tally.Cutoff is { } cut && SingerTime.TryParse(t.Updated, out var u) && u >= cut - TimeSpan.FromMinutes(1))
                    why = "worklog/updated leaves out the last minute's worklogs; the next run loads them";
                diffs.Add((ProjectOf(t.Key), t.Key, why, "issue(s) whose rows differ from the total Jira reports on the issue"));
            }
            rows.Add(Judge(stream, "*", jira, have, diffs));
        }
        return new ReconciliationReport(o.RunId, rows);

        // Issues per project and in total: the census against the rows in scope, each difference looked up or explained.
        async Task IssuesAsync()
        {
            var probes = 0;
            async Task<IssueProbe?> Probe(string id)
            {
                if (probes >= MaxProbes) return null;
                probes++;
                return await probe(id, ct);
            }

            // Each difference: the project it counts under, its key, and the explanation (null = unexplained).
            var differences = new List<(string Project, string Key, string? Why, string Kind)>();
            foreach (var (id, key) in tally.Census)
            {
                if (rowKey.ContainsKey(id)) continue;
                var p = await Probe(id);
                string? why = p is { Exists: true, Updated: { } u } && tally.Cutoff is { } cut && u >= cut
                    ? $"changed in Jira at {SingerTime.Format(u)}, after the rows were read" : null;
                if (p is { Exists: false }) why = "deleted in Jira while the census was read";
                differences.Add((ProjectOf(key), key, why, "missing row"));
            }
            foreach (var (id, key) in rowKey)
            {
                if (tally.Census.ContainsKey(id)) continue;
                var project = ProjectOf(key);
                string? why;
                string kind;
                if (tally.ProjectsKnown && !tally.Projects.Contains(project))
                { why = null; kind = $"project {project} is not visible to this user (permission removed, archived or deleted?)"; }
                else if (await Probe(id) is not { } p) { why = null; kind = "row of an issue search does not list (not looked up: too many)"; }
                // Moved to a project this run does not sync (another partition's, or one outside "projects"): whoever syncs
                // that project loads the row under its new key, possibly at this very moment (partitions run at once).
                else if (p is { Exists: true, Key: { } now } && !string.Equals(ProjectOf(now), project, StringComparison.OrdinalIgnoreCase))
                { why = $"moved to {now}; its row follows when the sync of project {ProjectOf(now)} loads it"; kind = "moved"; }
                else if (p.Exists) { why = null; kind = "issue exists in Jira but search does not list it (search lagging behind writes)"; }
                else if (o.AfterSync) { why = "deleted in Jira since the last sync; the next sync marks the row"; kind = "deleted"; }
                else { why = null; kind = "issue gone from Jira but its row is still live"; }
                differences.Add((project, key, why, kind));
            }

            // Rows this run took out of the live set, each with the reason the tap found (RowStatus).
            foreach (var (id, status) in tally.Marked)
            {
                if (rowKey.ContainsKey(id)) continue;
                var key = anyKey.GetValueOrDefault(id) ?? id;
                // A deletion mirrored is agreement, noted; rows that left because the user lost sight of them are explained differences.
                differences.Add((ProjectOf(key), key, $"marked {status} in this run ({Reason(status)})", status == RowStatus.Deleted ? Info : status));
            }

            var projects = tally.Projects.Concat(tally.Census.Values.Select(ProjectOf)).Concat(rowKey.Values.Select(ProjectOf)).Concat(differences.Select(d => d.Project))
                .Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToList();
            var jiraByProject = tally.Census.Values.GroupBy(ProjectOf, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.OrdinalIgnoreCase);
            var rowsByProject = rowKey.Values.GroupBy(ProjectOf, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.OrdinalIgnoreCase);
            foreach (var project in projects)
            {
                var diffs = differences.Where(d => string.Equals(d.Project, project, StringComparison.OrdinalIgnoreCase)).ToList();
                rows.Add(Judge("issues", project, jiraByProject.GetValueOrDefault(project), rowsByProject.GetValueOrDefault(project), diffs));
            }
            rows.Add(Judge("issues", "*", tally.Census.Count, rowKey.Count, differences));
        }

        ReconciliationRow Judge(string table, string scope, long jira, long have, List<(string Project, string Key, string? Why, string Kind)> diffs)
        {
            var info = diffs.Where(d => d.Kind == Info).ToList();
            diffs = diffs.Where(d => d.Kind != Info).ToList();
            if (diffs.Count == 0 && jira == have)
                return Row(table, scope, jira, have, ReconciliationVerdict.Match,
                    string.Join("; ", info.GroupBy(d => d.Why!).Select(g => $"{g.Count()}: {g.Key}")), info.Select(d => d.Key).Order(KeyOrder.Instance));
            var unexplained = diffs.Where(d => d.Why is null).ToList();
            if (unexplained.Count > 0 || diffs.Count == 0)
            {
                var note = diffs.Count == 0 ? $"Jira reports {jira}, the destination has {have} live rows"
                    : string.Join("; ", unexplained.GroupBy(d => d.Kind).Select(g => $"{g.Count()}: {g.Key}"));
                return Row(table, scope, jira, have, ReconciliationVerdict.Unexplained, note, unexplained.Select(d => d.Key).Order(KeyOrder.Instance));
            }
            return Row(table, scope, jira, have, ReconciliationVerdict.Explained,
                string.Join("; ", diffs.GroupBy(d => d.Why!).Select(g => $"{g.Count()}: {g.Key}")), diffs.Select(d => d.Key).Order(KeyOrder.Instance));
        }
    }

    private static string Reason(string status) => status switch
    {
        RowStatus.Deleted => "deleted in Jira",
        RowStatus.NoAccess => "its project is no longer visible to this user",
        RowStatus.Archived => "its project was archived",
        RowStatus.Moved => "moved to a project outside the configured ones",
        _ => status,
    };

    private static bool SameInstant(string? a, string? b) =>
        SingerTime.TryParse(a, out var x) && SingerTime.TryParse(b, out var y) ? x == y : string.Equals(a, b, StringComparison.Ordinal);

    private static string ProjectOf(string key) => IssueKeys.ProjectOf(key);

    /// <summary>Orders issue keys by project, then number (ENG-2 before ENG-10).</summary>
    private sealed class KeyOrder : IComparer<string>
    {
        public static readonly KeyOrder Instance = new();
        public int Compare(string? x, string? y)
        {
            var p = string.CompareOrdinal(ProjectOf(x ?? ""), ProjectOf(y ?? ""));
            if (p != 0) return p;
            return Number(x).CompareTo(Number(y)) is var n && n != 0 ? n : string.CompareOrdinal(x, y);
        }
        private static long Number(string? key) => key != null && long.TryParse(key[(key.LastIndexOf('-') + 1)..], out var n) ? n : -1;
    }
}
