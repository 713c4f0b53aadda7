using System.Globalization;
using System.Net;
using System.Text;

namespace JiraSync.Runs.Report;

/// <summary>
/// `jirasync runs --html F`: one self-contained page (inline CSS and SVG, no script, no fetch) with the run table,
/// charts of rows per table per run, run durations, requests/retries/429s per run and daily row usage, and each
/// run's loading report. Readable from a phone (single column, scrolling tables) to a desktop (chart grid).
/// </summary>
public static class HtmlReport
{
    /// <summary>How many of the latest runs the charts show.</summary>
    public const int ChartRuns = 30;
    /// <summary>Tables beyond this many (by rows) are drawn together as "other" so the legend stays readable.</summary>
    private const int TopTables = 8;

    private static readonly string[] Palette =
        ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"];

    /// <summary>The whole page as one HTML string (UTF-8, times in UTC).</summary>
    /// <param name="history">The runs to show, as read by <see cref="RunHistory.ReadAsync"/>.</param>
    /// <param name="destination">The destination's redacted description, shown in the heading.</param>
    public static string Render(RunHistory history, string destination)
    {
        var chartRuns = history.Runs.Take(ChartRuns).Reverse().ToList();   // oldest first, left to right
        var labels = Labels(chartRuns);
        var sb = new StringBuilder();
        sb.Append($"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <link rel="icon" href="data:,">
            <title>JiraSync runs — {Enc(destination)}</title>
            <style>{Css}</style></head><body>
            <header><h1>JiraSync runs</h1><p class="sub">{Enc(destination)} · generated {Enc(Long(history.ReadAt))}</p></header>
            """);
        sb.Append(Summary(history));
        sb.Append(Failures(history));
        if (history.Runs.Count == 0)
        {
            sb.Append("<p class=\"empty\">No runs recorded yet. Run <code>jirasync sync</code> first.</p></body></html>");
            return sb.ToString();
        }

        sb.Append("<section class=\"charts\">");
        sb.Append(SvgBarChart.Render("rows-per-table", $"Rows loaded per table, last {chartRuns.Count} run(s)", labels,
            RowsPerTable(chartRuns, history), stacked: true, SvgBarChart.Compact));
        sb.Append(SvgBarChart.Render("duration", "Run duration (seconds)", labels,
        [
            new("succeeded", "#59a14f", chartRuns.Select(r => r.Status == RunStatus.Succeeded ? Seconds(r) : 0).ToList()),
            new("failed or stopped", "#e15759", chartRuns.Select(r => r.Status != RunStatus.Succeeded ? Seconds(r) : 0).ToList()),
        ], stacked: true, SvgBarChart.Compact));
        sb.Append(SvgBarChart.Render("requests", "HTTP requests per run", labels,
            [new("requests", "#4e79a7", chartRuns.Select(r => (double)r.HttpRequests).ToList())], stacked: false, SvgBarChart.Compact));
        sb.Append(SvgBarChart.Render("retries", "Retries and HTTP 429 (rate limited) per run", labels,
        [
            new("retries", "#f28e2b", chartRuns.Select(r => (double)r.Retries).ToList()),
            new("429 responses", "#e15759", chartRuns.Select(r => (double)r.RateLimited).ToList()),
        ], stacked: false, SvgBarChart.Compact, empty: "No retries and no 429 responses in these runs."));
        sb.Append(UsageChart(history.Usage));
        sb.Append("</section>");

        sb.Append(MonthToDate(history.Usage));
        sb.Append(RunTable(history));
        sb.Append(LoadingReports(history));
        sb.Append(ReconciliationSection.Render(history));
        sb.Append("<footer>Rows loaded = rows inserted + updated + marked deleted. Times in UTC.</footer></body></html>");
        return sb.ToString();
    }

    private static string Summary(RunHistory h)
    {
        var last = h.Runs.FirstOrDefault();
        var ok = h.Runs.Count(r => r.Status == RunStatus.Succeeded);
        var failed = h.Runs.Count(IsFailure);
        var other = h.Runs.Count - ok - failed; // cancelled, still running
        return $"""
            <section class="cards">
            <div class="card"><b>{h.Runs.Count}</b><span>runs shown</span></div>
            <div class="card"><b>{ok}</b><span>succeeded</span></div>
            <div class="card{(failed > 0 ? " bad" : "")}"><b>{failed}</b><span>failed or interrupted</span></div>
            {(other > 0 ? $"<div class=\"card\"><b>{other}</b><span>cancelled or running</span></div>" : "")}
            <div class="card"><b>{(last is null ? "—" : Enc(last.Status.ToText()))}</b><span>last run</span></div>
            <div class="card"><b>{SvgBarChart.Compact(h.Usage.MonthTotal)}</b><span>rows this month</span></div>
            </section>
            """;
    }

    private static bool IsFailure(RunRecord r) => r.Status is RunStatus.Failed or RunStatus.Interrupted;

    /// <summary>Every failed or interrupted run with its whole error, outside any scrolling table, so a phone and a
    /// desktop both show it without sideways scrolling.</summary>
    private static string Failures(RunHistory h)
    {
        var failed = h.Runs.Where(r => IsFailure(r) || r.Error is not null).ToList();
        if (failed.Count == 0) return "";
        var sb = new StringBuilder($"<section class=\"failures\"><h2>Failed runs ({failed.Count})</h2><ul>");
        foreach (var r in failed)
            sb.Append($"<li><span class=\"status {r.Status.ToText()}\">{r.Status.ToText()}</span> <a href=\"#run-{Enc(r.RunId)}\"><code>{Enc(r.RunId)}</code></a> " +
                      $"<span class=\"when\">{Enc(Long(r.StartedAt))}</span><p class=\"err\">{Enc(r.Error ?? "no error text recorded")}</p></li>");
        sb.Append("</ul></section>");
        return sb.ToString();
    }

    /// <summary>Chart labels: "MM-dd HH:mm", with seconds (then a counter) only where runs share a minute (a second),
    /// so no two bars carry the same label.</summary>
    internal static List<string> Labels(IReadOnlyList<RunRecord> runs)
    {
        var minutes = runs.Select(r => Short(r.StartedAt)).ToList();
        var labels = runs.Select((r, i) => minutes.Count(m => m == minutes[i]) > 1
            ? r.StartedAt.UtcDateTime.ToString("MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : minutes[i]).ToList();
        return labels.Select((l, i) => labels.Count(x => x == l) > 1 ? $"{l} #{labels.Take(i + 1).Count(x => x == l)}" : l).ToList();
    }

    private static List<ChartSeries> RowsPerTable(List<RunRecord> runs, RunHistory h)
    {
        var byRun = runs.Select(r => h.StreamsOf(r.RunId).ToDictionary(s => s.Stream, s => (double)s.RowsLoaded)).ToList();
        var ranked = byRun.SelectMany(d => d).GroupBy(kv => kv.Key)
            .Select(g => (Stream: g.Key, Total: g.Sum(kv => kv.Value)))
            .Where(t => t.Total > 0).OrderByDescending(t => t.Total).ThenBy(t => t.Stream, StringComparer.Ordinal).ToList();
        var top = ranked.Take(TopTables).Select(t => t.Stream).ToList();
        var series = top.Select((s, i) => new ChartSeries(s, Palette[i % Palette.Length],
            byRun.Select(d => d.GetValueOrDefault(s)).ToList())).ToList();
        if (ranked.Count > TopTables)
            series.Add(new ChartSeries("other tables", "#bab0ac",
                byRun.Select(d => d.Where(kv => !top.Contains(kv.Key)).Sum(kv => kv.Value)).ToList()));
        return series;
    }

    private static string UsageChart(RowUsage usage)
    {
        var days = Enumerable.Range(0, 14).Select(i => usage.Today.AddDays(i - 13)).ToList();
        var ranked = usage.Days.GroupBy(d => d.Stream).OrderByDescending(g => g.Sum(d => d.Rows)).Select(g => g.Key).ToList();
        var top = ranked.Take(TopTables).ToList();
        double On(DateOnly day, Func<string, bool> which) => usage.Days.Where(d => d.Date == day && which(d.Stream)).Sum(d => (double)d.Rows);
        var series = top.Select((s, i) => new ChartSeries(s, Palette[i % Palette.Length], days.Select(d => On(d, x => x == s)).ToList())).ToList();
        if (ranked.Count > TopTables)
            series.Add(new ChartSeries("other tables", "#bab0ac", days.Select(d => On(d, x => !top.Contains(x))).ToList()));
        return SvgBarChart.Render("usage", "Row usage per day (last 14 days)",
            days.Select(d => d.ToString("MM-dd", CultureInfo.InvariantCulture)).ToList(), series, stacked: true, SvgBarChart.Compact);
    }

    private static string MonthToDate(RowUsage usage)
    {
        var sb = new StringBuilder($"<section><h2>Row usage, {usage.Today:MMMM yyyy} to date</h2><div class=\"scroll\"><table><thead><tr><th>table</th><th class=\"n\">rows loaded</th><th class=\"n\">share</th></tr></thead><tbody>");
        foreach (var t in usage.MonthToDate)
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{Enc(t.Stream)}</td><td class=\"n\">{t.Rows:N0}</td><td class=\"n\">{(usage.MonthTotal == 0 ? 0 : 100.0 * t.Rows / usage.MonthTotal):0.0}%</td></tr>");
        sb.Append(CultureInfo.InvariantCulture, $"</tbody><tfoot><tr><td>total</td><td class=\"n\">{usage.MonthTotal:N0}</td><td></td></tr></tfoot></table></div></section>");
        return sb.ToString();
    }

    private static string RunTable(RunHistory h)
    {
        var sb = new StringBuilder("<section><h2>Runs</h2><div class=\"scroll\"><table class=\"runs\"><thead><tr><th>run</th><th>status</th><th>started</th><th class=\"n\">duration</th><th class=\"n\">records</th><th class=\"n\">rows loaded</th><th class=\"n\">requests</th><th class=\"n\">retries</th><th class=\"n\">429s</th><th>error</th></tr></thead><tbody>");
        foreach (var r in h.Runs)
        {
            var streams = h.StreamsOf(r.RunId).ToList();
            // data-label names each cell where a phone stacks a row's cells (see the CSS).
            sb.Append(CultureInfo.InvariantCulture,
                $"<tr><td data-label=\"run\"><a href=\"#run-{Enc(r.RunId)}\"><code>{Enc(r.RunId)}</code></a></td><td data-label=\"status\"><span class=\"status {r.Status.ToText()}\">{r.Status.ToText()}</span></td><td data-label=\"started\">{Enc(Long(r.StartedAt))}</td>" +
                $"<td class=\"n\" data-label=\"duration\">{Enc(Duration(r.Duration))}</td><td class=\"n\" data-label=\"records\">{streams.Sum(s => s.RecordsExtracted):N0}</td><td class=\"n\" data-label=\"rows loaded\">{streams.Sum(s => s.RowsLoaded):N0}</td>" +
                $"<td class=\"n\" data-label=\"requests\">{r.HttpRequests:N0}</td><td class=\"n\" data-label=\"retries\">{r.Retries:N0}</td><td class=\"n\" data-label=\"429s\">{r.RateLimited:N0}</td><td class=\"err\" data-label=\"error\">{Enc(r.Error ?? "")}</td></tr>");
        }
        sb.Append("</tbody></table></div></section>");
        return sb.ToString();
    }

    private static string LoadingReports(RunHistory h)
    {
        var sb = new StringBuilder("<section><h2>Loading reports</h2>");
        foreach (var r in h.Runs)
        {
            var streams = h.StreamsOf(r.RunId).ToList();
            sb.Append(CultureInfo.InvariantCulture, $"<details id=\"run-{Enc(r.RunId)}\"><summary><code>{Enc(r.RunId)}</code> · {Enc(r.Status.ToText())} · {streams.Count} stream(s)</summary>");
            if (r.LogPath is not null) sb.Append($"<p class=\"sub\">extraction log: <code>{Enc(r.LogPath)}</code></p>");
            sb.Append("<div class=\"scroll\"><table><thead><tr><th>stream</th><th class=\"n\">extracted</th><th class=\"n\">inserted</th><th class=\"n\">updated</th><th class=\"n\">deleted</th><th class=\"n\">requests</th><th class=\"n\">duration</th><th>bookmark after</th></tr></thead><tbody>");
            foreach (var s in streams)
                sb.Append(CultureInfo.InvariantCulture,
                    $"<tr><td>{Enc(s.Stream)}</td><td class=\"n\">{s.RecordsExtracted:N0}</td><td class=\"n\">{s.RowsInserted:N0}</td><td class=\"n\">{s.RowsUpdated:N0}</td><td class=\"n\">{s.RowsDeleted:N0}</td><td class=\"n\">{s.HttpRequests:N0}</td><td class=\"n\">{Enc(Duration(s.Duration))}</td><td><code>{Enc(s.BookmarkAfter ?? "")}</code></td></tr>");
            sb.Append("</tbody></table></div></details>");
        }
        sb.Append("</section>");
        return sb.ToString();
    }

    private static double Seconds(RunRecord r) => Math.Round(r.Duration?.TotalSeconds ?? 0, 1);
    /// <summary>A duration the way the report and `runs` show it: "1h05m", "3m07s", "4.2s", "350ms"; "—" for null.</summary>
    /// <param name="d">The duration, or null for a run that has not finished.</param>
    public static string Duration(TimeSpan? d) => d is not { } t ? "—"
        : t.TotalHours >= 1 ? $"{(int)t.TotalHours}h{t.Minutes:00}m"
        : t.TotalMinutes >= 1 ? $"{(int)t.TotalMinutes}m{t.Seconds:00}s"
        : t.TotalSeconds >= 1 ? t.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + "s"
        : t.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + "ms";
    private static string Short(DateTimeOffset t) => t.UtcDateTime.ToString("MM-dd HH:mm", CultureInfo.InvariantCulture);
    private static string Long(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";
    private static string Enc(string s) => WebUtility.HtmlEncode(s);

    private const string Css = """
        :root{color-scheme:light dark;--bg:#fff;--fg:#1d2330;--muted:#667085;--line:#e4e7ec;--card:#f6f7f9}
        @media (prefers-color-scheme:dark){:root{--bg:#14171c;--fg:#e6e8eb;--muted:#98a2b3;--line:#2c323c;--card:#1d2129}}
        *{box-sizing:border-box}body{margin:0 auto;max-width:1200px;padding:16px;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--bg);color:var(--fg)}
        h1{font-size:1.5rem;margin:0}h2{font-size:1.15rem;margin:1.6rem 0 .6rem}.sub{color:var(--muted);margin:.2rem 0 0;word-break:break-all}
        .cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(130px,1fr));gap:10px;margin:16px 0}
        .card{background:var(--card);border-radius:10px;padding:10px 12px}.card b{display:block;font-size:1.4rem}.card span{color:var(--muted);font-size:.85rem}
        .charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,460px),1fr));gap:14px}
        figure.chart{margin:0;background:var(--card);border-radius:10px;padding:10px}figcaption{font-weight:600;margin-bottom:4px}
        svg{width:100%;height:auto;display:block}svg text{font-size:13px;fill:var(--muted)}svg .grid{stroke:var(--line)}svg .axis{stroke:var(--muted)}
        svg rect.mark:hover{opacity:.8}
        .legend{list-style:none;padding:0;margin:6px 0 0;display:flex;flex-wrap:wrap;gap:4px 12px;font-size:.85rem}
        .legend span{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:5px}
        .scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}table{border-collapse:collapse;width:100%;font-size:.9rem}
        th,td{padding:6px 8px;border-bottom:1px solid var(--line);text-align:left;white-space:nowrap}td.err{white-space:normal;overflow-wrap:anywhere;min-width:12rem}
        .failures ul{list-style:none;padding:0;margin:0}.failures li{border:1px solid var(--line);border-left:4px solid #d92d20;border-radius:8px;padding:8px 10px;margin:6px 0}
        .failures .when{color:var(--muted);font-size:.85rem}p.err{margin:.35rem 0 0;white-space:pre-wrap;overflow-wrap:anywhere}.card.bad b{color:#d92d20}
        .n{text-align:right;font-variant-numeric:tabular-nums}tfoot td{font-weight:600}
        .status{padding:1px 8px;border-radius:999px;font-size:.8rem;background:var(--line)}.status.succeeded{background:#d1fadf;color:#05603a}
        .status.failed,.status.interrupted{background:#fee4e2;color:#912018}.status.running{background:#d1e9ff;color:#194185}
        details{border:1px solid var(--line);border-radius:8px;padding:6px 10px;margin:6px 0}summary{cursor:pointer}
        code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.85em}.empty{color:var(--muted)}
        footer{color:var(--muted);font-size:.8rem;margin:24px 0 8px}
        .verdict-match{color:#059669}.verdict-explained{color:#b45309}.verdict-unexplained{color:#dc2626}
        @media (max-width:600px){body{padding:10px;font-size:14px}h1{font-size:1.25rem}
          table.runs thead{display:none}table.runs,table.runs tbody,table.runs tr,table.runs td{display:block;width:100%}
          table.runs tr{border:1px solid var(--line);border-radius:8px;margin:0 0 8px;padding:4px 0}
          table.runs td{border:0;padding:3px 10px;white-space:normal;overflow-wrap:anywhere;text-align:left;min-width:0}
          table.runs td::before{content:attr(data-label);display:inline-block;min-width:6.5rem;color:var(--muted);font-size:.8rem}
          table.runs td.err:empty{display:none}}
        """;
}
