namespace JiraSync.Reconciliation;

/// <summary>How a table's rows compare with Jira's own counts. Ordered: a run's verdict is its worst table's.</summary>
public enum ReconciliationVerdict
{
    /// <summary>Rows equal what Jira reports.</summary>
    Match,
    /// <summary>They differ for a known reason, stated in the note (an issue changed after it was read, deleted since
    /// the last sync, a table not loaded).</summary>
    Explained,
    /// <summary>They differ and nothing explains it: the affected keys are listed. `verify` exits 1.</summary>
    Unexplained,
}

internal static class ReconciliationVerdictText
{
    public static string ToText(this ReconciliationVerdict v) => v switch
    {
        ReconciliationVerdict.Match => "match",
        ReconciliationVerdict.Explained => "explained",
        _ => "unexplained",
    };

    public static ReconciliationVerdict Parse(string text) => text switch
    {
        "match" => ReconciliationVerdict.Match,
        "explained" => ReconciliationVerdict.Explained,
        _ => ReconciliationVerdict.Unexplained,
    };
}
