using JiraSync.Loading;
using JiraSync.Logging;
using Spectre.Console;

namespace JiraSync.Cli;

/// <summary>Shows a load's per-stream counts as a table (the demo's loading report); log lines are <see cref="LoadReport.LogTo"/>.</summary>
public static class LoadReportView
{
    /// <summary>The loading report: per table, what this run did and what the table now holds.</summary>
    public static void Table(IAnsiConsole console, LoadReport report, IReadOnlyList<TableRowCount> tables)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("table").AddColumn(new TableColumn("rows").RightAligned()).AddColumn(new TableColumn("deleted").RightAligned())
            .AddColumn(new TableColumn("inserted").RightAligned()).AddColumn(new TableColumn("updated").RightAligned());
        foreach (var t in tables)
        {
            var c = report.Streams.GetValueOrDefault(t.Table) ?? new StreamCounts();
            table.AddRow(Markup.Escape(t.Table), $"{t.Rows:N0}", $"{t.Deleted:N0}", $"{c.Inserted:N0}", $"{c.Updated:N0}");
        }
        console.Write(table);
    }
}
