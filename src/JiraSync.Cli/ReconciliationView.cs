using JiraSync.Logging;
using JiraSync.Reconciliation;
using Spectre.Console;

namespace JiraSync.Cli;

/// <summary>The reconciliation as `sync`'s closing lines, `verify`'s output and a section of `runs RUN_ID`.</summary>
public static class ReconciliationView
{
    /// <summary>One line for the run, then one per table that does not match.</summary>
    public static void Log(ILog log, ReconciliationReport report)
    {
        var totals = report.Rows.Where(r => r.Scope == "*").ToList();
        log.Info($"reconciliation: {report.Verdict.ToText()} ({string.Join(", ", totals.Select(r => $"{r.Table} {r.Verdict.ToText()}"))})");
        foreach (var r in report.Rows.Where(r => r.Verdict != ReconciliationVerdict.Match && (r.Scope != "*" || r.Table != "issues")))
        {
            var line = $"reconciliation: {Label(r)}: Jira {r.JiraCount}, rows {r.RowCount}, {r.Verdict.ToText()}: {r.Note}" +
                       (r.AffectedKeys.Count > 0 ? $" [{string.Join(", ", r.AffectedKeys)}]" : "");
            if (r.Verdict == ReconciliationVerdict.Unexplained) log.Warn(line); else log.Info(line);
        }
    }

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
