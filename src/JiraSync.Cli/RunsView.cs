using JiraSync.Runs;
using JiraSync.Runs.Report;
using Spectre.Console;

namespace JiraSync.Cli;

/// <summary>`jirasync runs` on a terminal: the runs table and row usage, or one run's loading report.</summary>
public static class RunsView
{
    /// <summary>Below this console width the tables leave out their widest columns (the start time, which the run id
    /// already carries; requests and 429s; a stream's requests and bookmark), so an 80-column terminal shows them whole.</summary>
    public const int WideLayout = 120;

    public static void History(IAnsiConsole console, RunHistory h, string destination)
    {
        if (h.Runs.Count == 0)
        {
            console.WriteLine($"No runs recorded in {destination} yet.");
            return;
        }
        var wide = console.Profile.Width >= WideLayout;
        var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape($"Runs in {destination}"))
            .AddColumn(new TableColumn("run").NoWrap());
        if (wide) table.AddColumn(new TableColumn("started (UTC)").NoWrap());
        table.AddColumn(new TableColumn("status").NoWrap()).AddColumn(new TableColumn("duration").RightAligned().NoWrap())
            .AddColumn(new TableColumn("records").RightAligned()).AddColumn(new TableColumn("rows loaded").RightAligned());
        if (wide) table.AddColumn(new TableColumn("requests").RightAligned()).AddColumn(new TableColumn("429s").RightAligned());
        void Row(string label, DateTimeOffset started, RunStatus status, TimeSpan? duration, IReadOnlyList<RunRecord> runs)
        {
            var streams = runs.SelectMany(r => h.StreamsOf(r.RunId)).ToList();
            var cells = new List<string> { label };
            if (wide) cells.Add(started.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss"));
            cells.AddRange([Status(status), HtmlReport.Duration(duration), $"{streams.Sum(s => s.RecordsExtracted):N0}", $"{streams.Sum(s => s.RowsLoaded):N0}"]);
            if (wide) cells.AddRange([$"{runs.Sum(r => r.HttpRequests):N0}", $"{runs.Sum(r => r.RateLimited):N0}"]);
            table.AddRow(cells.ToArray());
        }
        foreach (var g in h.Groups)
        {
            if (!g.IsPartitioned) { var r = g.Members[0]; Row(Markup.Escape(r.RunId), r.StartedAt, r.Status, r.Duration, [r]); continue; }
            // A partitioned run: one line for the run, then one per partition.
            Row($"{Markup.Escape(g.Id)} [dim]({g.Members.Count} partition(s))[/]", g.StartedAt, g.Status, g.Duration, g.Members);
            foreach (var (m, i) in g.Members.Select((m, i) => (m, i)))
                Row($"  {(i == g.Members.Count - 1 ? "└" : "├")} {Markup.Escape(m.Partition!)} {Markup.Escape(m.RunId)}", m.StartedAt, m.Status, m.Duration, [m]);
        }
        console.Write(table);
        // Errors under the table, whole and wrapped at the console's width, rather than cut in a narrow column.
        foreach (var r in h.Runs.Where(r => r.Error is not null))
        {
            console.Write(new Paragraph().Append($"{r.RunId} {r.Status.ToText()}: ", new Style(r.Status == RunStatus.Failed ? Color.Red : Color.Yellow)).Append(r.Error!));
            console.WriteLine();
        }
        if (h.Runs.Any(r => r.Error is not null)) console.WriteLine();
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

    /// <summary>The partitions of one partitioned run: a line for the run, then each partition's report.</summary>
    public static void Group(IAnsiConsole console, RunGroup g)
    {
        console.MarkupLine($"[bold]Run {Markup.Escape(g.Id)}[/]  {Status(g.Status)}  {g.Members.Count} partition(s): {Markup.Escape(string.Join(", ", g.Members.Select(m => $"{m.Partition} {m.RunId}")))}");
        console.MarkupLine($"  {"duration",-16} {Markup.Escape(HtmlReport.Duration(g.Duration))} (first start to last finish)");
        console.WriteLine();
    }

    public static void Run(IAnsiConsole console, RunRecord r, IReadOnlyList<RunStreamRecord> streams)
    {
        console.MarkupLine($"[bold]Run {Markup.Escape(r.RunId)}[/]  {Status(r.Status)}");
        void Line(string label, string? value) { if (!string.IsNullOrEmpty(value)) console.MarkupLine($"  {label,-16} {Markup.Escape(value)}"); }
        Line("partition", r.Partition is null ? null : r.Partition + (r.RunGroup is null ? "" : $" of run group {r.RunGroup}"));
        Line("started", r.StartedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss") + " UTC");
        Line("finished", r.FinishedAt?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss") + (r.FinishedAt is null ? "" : " UTC"));
        Line("duration", HtmlReport.Duration(r.Duration));
        Line("trigger", r.Trigger);
        Line("source", r.Source);
        Line("config", r.ConfigFingerprint);
        Line("http", $"{r.HttpRequests:N0} requests, {r.Retries:N0} retries, {r.RateLimited:N0} rate limited (429), {SvgBarChart.Compact(r.Bytes)}B received");
        Line("concurrency", ConcurrencyPoint.Describe(r.Concurrency));
        Line("error", r.Error);
        Line("extraction log", r.LogPath is null ? null : File.Exists(r.LogPath) ? r.LogPath : r.LogPath + " (pruned: only the last 50 are kept)");
        if (streams.Count == 0) return;
        var wide = console.Profile.Width >= WideLayout;
        var table = new Table().Border(TableBorder.Rounded).Title("Loading report")
            .AddColumn("stream").AddColumn(new TableColumn("extracted").RightAligned()).AddColumn(new TableColumn("inserted").RightAligned())
            .AddColumn(new TableColumn("updated").RightAligned()).AddColumn(new TableColumn("deleted").RightAligned());
        if (wide) table.AddColumn(new TableColumn("requests").RightAligned());
        table.AddColumn(new TableColumn("duration").RightAligned().NoWrap());
        if (wide) table.AddColumn("bookmark after");
        foreach (var s in streams)
        {
            var cells = new List<string> { Markup.Escape(s.Stream) + (s.Status == RunStatus.Failed ? " [red](failed)[/]" : s.Error?.StartsWith("skipped:", StringComparison.Ordinal) == true ? " [yellow](skipped)[/]" : ""), $"{s.RecordsExtracted:N0}", $"{s.RowsInserted:N0}",
                $"{s.RowsUpdated:N0}", $"{s.RowsDeleted:N0}" };
            if (wide) cells.Add($"{s.HttpRequests:N0}");
            cells.Add(HtmlReport.Duration(s.Duration));
            if (wide) cells.Add(Markup.Escape(s.BookmarkAfter ?? ""));
            table.AddRow(cells.ToArray());
        }
        var total = new List<string> { "[bold]total[/]", $"[bold]{streams.Sum(s => s.RecordsExtracted):N0}[/]", $"[bold]{streams.Sum(s => s.RowsInserted):N0}[/]",
            $"[bold]{streams.Sum(s => s.RowsUpdated):N0}[/]", $"[bold]{streams.Sum(s => s.RowsDeleted):N0}[/]" };
        if (wide) total.Add($"[bold]{streams.Sum(s => s.HttpRequests):N0}[/]");
        total.Add("");
        if (wide) total.Add("");
        table.AddRow(total.ToArray());
        console.Write(table);
        foreach (var s in streams.Where(s => s.Status != RunStatus.Failed && s.Error?.StartsWith("skipped:", StringComparison.Ordinal) == true))
            console.MarkupLine($"  [yellow]{Markup.Escape(s.Stream)}[/] {Markup.Escape(s.Error!)}");
        if (wide) return;
        // Narrow: each stream's bookmark on its own lines, whole (bookmarks are long JSON).
        console.WriteLine("Bookmarks after the run:");
        foreach (var s in streams.Where(s => !string.IsNullOrEmpty(s.BookmarkAfter)))
        {
            console.Write(new Paragraph().Append($"  {s.Stream}: ", new Style(decoration: Decoration.Bold)).Append(s.BookmarkAfter!));
            console.WriteLine();
        }
    }

    private static string Status(RunStatus s) => s switch
    {
        RunStatus.Succeeded => "[green]succeeded[/]",
        RunStatus.Failed or RunStatus.Interrupted => $"[red]{s.ToText()}[/]",
        _ => $"[yellow]{s.ToText()}[/]",
    };
}
