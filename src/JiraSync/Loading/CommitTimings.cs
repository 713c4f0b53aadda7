namespace JiraSync.Loading;

/// <summary>Wall-clock time a SQL destination spent in each step of its batch commits, summed over batches
/// (logged per batch at debug level and in total at the end of a load): where loading time goes.</summary>
public sealed class CommitTimings
{
    /// <summary>Bulk writes into the staging tables (DuckDB appender, PostgreSQL binary COPY).</summary>
    public TimeSpan Staging { get; private set; }
    /// <summary>The statements moving staged rows into the tables (counts, insert or upsert).</summary>
    public TimeSpan Upsert { get; private set; }
    /// <summary>Version activations, children not re-sent and deletion cascades.</summary>
    public TimeSpan Marking { get; private set; }
    /// <summary>Batch hooks (the analytics layer's history rebuild).</summary>
    public TimeSpan Hooks { get; private set; }
    /// <summary>Saving the state and committing the transaction.</summary>
    public TimeSpan Commit { get; private set; }
    /// <summary>Batches counted.</summary>
    public int Batches { get; private set; }
    /// <summary>The last batch's steps, as text.</summary>
    public string Last { get; private set; } = "";

    internal void Add(TimeSpan staging, TimeSpan upsert, TimeSpan marking, TimeSpan hooks, TimeSpan commit)
    {
        Staging += staging;
        Upsert += upsert;
        Marking += marking;
        Hooks += hooks;
        Commit += commit;
        Batches++;
        Last = Describe(staging, upsert, marking, hooks, commit);
    }

    /// <summary>The totals, e.g. "staging 1.20 s, upsert 3.40 s, marking 0.10 s, hooks 0.00 s, commit 2.00 s".</summary>
    public override string ToString() => Describe(Staging, Upsert, Marking, Hooks, Commit);

    private static string Describe(TimeSpan staging, TimeSpan upsert, TimeSpan marking, TimeSpan hooks, TimeSpan commit) =>
        FormattableString.Invariant($"staging {staging.TotalSeconds:0.00} s, upsert {upsert.TotalSeconds:0.00} s, marking {marking.TotalSeconds:0.00} s, hooks {hooks.TotalSeconds:0.00} s, commit {commit.TotalSeconds:0.00} s");
}
