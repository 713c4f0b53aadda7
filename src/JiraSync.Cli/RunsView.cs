using JiraSync.Runs;
using JiraSync.Runs.Report;
using Spectre.Console;

namespace JiraSync.Cli;

/// <summary>`jirasync runs` on a terminal: the runs table and row usage, or one run's loading report.</summary>
public static class RunsView
{
    public static void History(IAnsiConsole console, RunHistory h, string destination)
    {
        if (h.Runs.Count == 0)
        {
            console.WriteLine($"No runs recorded in {destination} yet.");
            return;
        }
        var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape($"Runs in {destination}"))
            .AddColumn(new TableColumn("run").NoWrap()).AddColumn(new TableColumn("started (UTC)").NoWrap()).AddColumn("status").AddColumn(new TableColumn("duration").RightAligned())
            .AddColumn(new TableColumn("records").RightAligned()).AddColumn(new TableColumn("rows loaded").RightAligned())
            .AddColumn(new TableColumn("requests").RightAligned()).AddColumn(new TableColumn("429s").RightAligned()).AddColumn("error");
        foreach (var r in h.Runs)
        {
            var streams = h.StreamsOf(r.RunId).ToList();
            table.AddRow(Markup.Escape(r.RunId), r.StartedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss"), Status(r.Status),
                HtmlReport.Duration(r.Duration), $"{streams.Sum(s => s.RecordsExtracted):N0}", $"{streams.Sum(s => s.RowsLoaded):N0}",
                $"{r.HttpRequests:N0}", $"{r.RateLimited:N0}", Markup.Escape(r.Error ?? ""));
        }
        console.Write(table);
        Usage(console, h.Usage);
    }

    private static void Usage(IAnsiConsole console, RowUsage u)
    {
        if (u.MonthToDate.Count == 0) return;
        var today = u.Days.Where(d => d.Date == u.Today).ToDictionary(d => d.Stream, d => d.Rows);
        var table = new Table().Border(TableBorder.Rounded).Title($"Row usage, {u.Today:MMMM yyyy} (UTC days)")
            .AddColumn("table").AddColumn(new TableColumn("today").RightAligned()).AddColumn(new TableColumn("month to date").RightAligned())
            .AddColumn(new TableColumn("share").RightAligned());
        foreach (var t in u.MonthToDate)
            table.AddRow(Markup.Escape(t.Stream), $"{today.GetValueOrDefault(t.Stream):N0}", $"{t.Rows:N0}", $"{100.0 * t.Rows / Math.Max(1, u.MonthTotal):0.0}%");
        table.AddRow("[bold]total[/]", $"[bold]{today.Values.Sum():N0}[/]", $"[bold]{u.MonthTotal:N0}[/]", "");
        console.Write(table);
    }

    public static void Run(IAnsiConsole console, RunRecord r, IReadOnlyList<RunStreamRecord> streams)
    {
        console.MarkupLine($"[bold]Run {Markup.Escape(r.RunId)}[/]  {Status(r.Status)}");
        void Line(string label, string? value) { if (!string.IsNullOrEmpty(value)) console.MarkupLine($"  {label,-16} {Markup.Escape(value)}"); }
        Line("started", r.StartedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss") + " UTC");
        Line("finished", r.FinishedAt?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss") + (r.FinishedAt is null ? "" : " UTC"));
        Line("duration", HtmlReport.Duration(r.Duration));
        Line("trigger", r.Trigger);
        Line("source", r.Source);
        Line("config", r.ConfigFingerprint);
        Line("http", $"{r.HttpRequests:N0} requests, {r.Retries:N0} retries, {r.RateLimited:N0} rate limited (429), {SvgBarChart.Compact(r.Bytes)}B received");
        Line("error", r.Error);
        Line("extraction log", r.LogPath is null ? null : File.Exists(r.LogPath) ? r.LogPath : r.LogPath + " (pruned: only the last 50 are kept)");
        if (streams.Count == 0) return;
        var table = new Table().Border(TableBorder.Rounded).Title("Loading report")
            .AddColumn("stream").AddColumn(new TableColumn("extracted").RightAligned()).AddColumn(new TableColumn("inserted").RightAligned())
            .AddColumn(new TableColumn("updated").RightAligned()).AddColumn(new TableColumn("deleted").RightAligned())
            .AddColumn(new TableColumn("requests").RightAligned()).AddColumn(new TableColumn("duration").RightAligned()).AddColumn("bookmark after");
        foreach (var s in streams)
            table.AddRow(Markup.Escape(s.Stream) + (s.Status == RunStatus.Failed ? " [red](failed)[/]" : s.Error?.StartsWith("skipped:", StringComparison.Ordinal) == true ? " [yellow](skipped)[/]" : ""), $"{s.RecordsExtracted:N0}", $"{s.RowsInserted:N0}",
                $"{s.RowsUpdated:N0}", $"{s.RowsDeleted:N0}", $"{s.HttpRequests:N0}", HtmlReport.Duration(s.Duration), Markup.Escape(s.BookmarkAfter ?? ""));
        table.AddRow("[bold]total[/]", $"[bold]{streams.Sum(s => s.RecordsExtracted):N0}[/]", $"[bold]{streams.Sum(s => s.RowsInserted):N0}[/]",
            $"[bold]{streams.Sum(s => s.RowsUpdated):N0}[/]", $"[bold]{streams.Sum(s => s.RowsDeleted):N0}[/]", $"[bold]{streams.Sum(s => s.HttpRequests):N0}[/]", "", "");
        console.Write(table);
        foreach (var s in streams.Where(s => s.Status != RunStatus.Failed && s.Error?.StartsWith("skipped:", StringComparison.Ordinal) == true))
            console.MarkupLine($"  [yellow]{Markup.Escape(s.Stream)}[/] {Markup.Escape(s.Error!)}");
    }

    private static string Status(RunStatus s) => s switch
    {
        RunStatus.Succeeded => "[green]succeeded[/]",
        RunStatus.Failed or RunStatus.Interrupted => $"[red]{s.ToText()}[/]",
        _ => $"[yellow]{s.ToText()}[/]",
    };
}
