using JiraSync.Reconciliation;
using Spectre.Console;

namespace JiraSync.Cli;

/// <summary>The reconciliation as `verify`'s output and a section of `runs RUN_ID` (the log lines: <see cref="ReconciliationLog"/>).</summary>
public static class ReconciliationView
{
    /// <summary>Prints a table with a row per table and scope (Jira count, row count, verdict, why / affected keys) and
    /// the run's verdict as its title; nothing when <paramref name="rows"/> is empty (a run recorded before reconciliation).</summary>
    /// <param name="console">Where to print.</param>
    /// <param name="rows">The run's reconciliation rows.</param>
    public static void Table(IAnsiConsole console, IReadOnlyList<ReconciliationRow> rows)
    {
        if (rows.Count == 0) return;
        var verdict = rows.Max(r => r.Verdict);
        var table = new Table().Border(TableBorder.Rounded).Title($"Reconciliation: {Verdict(verdict)}")
            .AddColumn("table").AddColumn(new TableColumn("Jira").RightAligned()).AddColumn(new TableColumn("rows").RightAligned())
            .AddColumn("verdict").AddColumn("why / affected keys");
        foreach (var r in rows)
            table.AddRow(Markup.Escape(Label(r)), $"{r.JiraCount:N0}", $"{r.RowCount:N0}", Verdict(r.Verdict),
                Markup.Escape(r.Note + (r.AffectedKeys.Count > 0 ? $" [{string.Join(", ", r.AffectedKeys)}]" : "")));
        console.Write(table);
    }

    private static string Label(ReconciliationRow r) => r.Scope == "*" ? r.Table : $"{r.Table} {r.Scope}";

    private static string Verdict(ReconciliationVerdict v) => v switch
    {
        ReconciliationVerdict.Match => "[green]match[/]",
        ReconciliationVerdict.Explained => "[yellow]explained[/]",
        _ => "[red]unexplained[/]",
    };
}
