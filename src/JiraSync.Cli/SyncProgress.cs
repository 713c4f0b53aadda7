using System.Diagnostics;
using System.Text;
using JiraSync.Jira;
using JiraSync.Loading;
using JiraSync.Logging;
using JiraSync.Runs;
using JiraSync.Streams;
using JiraSync.Sync;
using Spectre.Console;

namespace JiraSync.Cli;

/// <summary>
/// Progress of a sync: on a terminal a live table on stderr, one row per stream: records, inserted, updated, deleted,
/// and the HTTP requests, retries and 429s of the unit that reads it (the issue family's streams share the issues
/// sweep: their requests are on its row), with the rate-limit wait while Jira's Retry-After holds a running unit's
/// requests; the title has the run's totals. Otherwise a plain log line every few seconds. While the live table is
/// shown, informational lines are left out (the extraction log has them) and warnings and errors are printed above it
/// as they happen.
/// </summary>
public sealed class SyncProgress : ISyncProgress
{
    private static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(10);
    private readonly bool _live;
    private ILog? _log;
    private LiveLog? _liveLog;

    private readonly bool _clearWhenDone;

    private SyncProgress(bool live, bool clearWhenDone)
    {
        _live = live;
        _clearWhenDone = clearWhenDone;
    }

    /// <param name="clearWhenDone">Remove the live table at the end (when a final report follows anyway).</param>
    public static SyncProgress Create(bool verbose, bool clearWhenDone = false) =>
        new(!verbose && !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("TERM") is not (null or "dumb") && TableFits(), clearWhenDone);

    /// <summary>False on a terminal known to be narrower than the table's 80 columns or shorter than 8 lines, where its
    /// frame would wrap into an unreadable block: the plain progress lines are used there. A size that cannot be read
    /// (0, or no terminal behind stdout) does not count against the table.</summary>
    private static bool TableFits()
    {
        try { return Console.WindowWidth is 0 or >= 80 && Console.WindowHeight is 0 or >= 8; }
        catch (Exception e) when (e is IOException or PlatformNotSupportedException) { return true; }
    }

    /// <summary>The log to run with: on a terminal, Info lines are dropped while the live table shows.</summary>
    public ILog Wrap(ILog inner)
    {
        _log = inner;
        return _live ? _liveLog = new LiveLog(inner) : inner;
    }

    /// <param name="loader">Its per-stream counts are shown.</param>
    /// <param name="metrics">The client's run totals.</param>
    /// <param name="work">The sync.</param>
    /// <param name="gate">The Jira client's rate-limit gate, whose remaining pause the display shows.</param>
    /// <param name="units">Each unit's requests so far (<see cref="UnitClock.Snapshot"/>); null: run totals only.</param>
    public async Task<LoadReport> RunAsync(Loader loader, JiraClientMetrics metrics, Func<Task<LoadReport>> work, RateLimitGate? gate = null,
        UnitClock? units = null)
    {
        var clock = Stopwatch.StartNew();
        var task = work();
        if (!_live)
        {
            while (await Task.WhenAny(task, Task.Delay(PlainInterval)) != task)
                _log?.Info(PlainLine(loader.Snapshot(), metrics, clock.Elapsed, gate));
            return await task;
        }
        var stderr = Console.Error;
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(stderr) });
        // Lines written to stderr meanwhile (the log's warnings) go through Spectre, which prints them above the live table.
        Console.SetError(new LineWriter(line => console.WriteLine(line, Style.Plain)));
        try
        {
            Table Now() => Render(loader.Snapshot(), metrics, clock.Elapsed, gate, units?.Snapshot(), RowsThatFit());
            await console.Live(Now()).AutoClear(_clearWhenDone).StartAsync(async ctx =>
            {
                while (await Task.WhenAny(task, Task.Delay(250)) != task) ctx.UpdateTarget(Now());
                ctx.UpdateTarget(Now());
            });
        }
        finally
        {
            Console.SetError(stderr);
            if (_liveLog is not null) _liveLog.Live = false; // the summary lines after the run are shown again
        }
        return await task;
    }

    /// <summary>Stream rows that fit the terminal's height beside the title, header, caption and the cursor's line
    /// (read at each refresh: the window may be resized); null when the height cannot be read.</summary>
    private static int? RowsThatFit()
    {
        try { return Console.WindowHeight is > 0 and var h ? Math.Max(2, h - 4) : null; }
        catch (Exception e) when (e is IOException or PlatformNotSupportedException) { return null; }
    }

    /// <summary>The one-line progress written when stderr is not a terminal: elapsed hh:mm:ss, records received per
    /// stream, committed batches and the client's run totals (requests, retries, 429s), plus the rate-limit pause left.</summary>
    /// <param name="r">The loader's report so far.</param>
    /// <param name="m">The client's counters.</param>
    /// <param name="elapsed">Time since the run started.</param>
    /// <param name="gate">The client's rate-limit gate, or null.</param>
    public static string PlainLine(LoadReport r, JiraClientMetrics m, TimeSpan elapsed, RateLimitGate? gate = null) =>
        $"progress {elapsed:hh\\:mm\\:ss}: {string.Join(", ", r.Streams.Where(s => s.Value.Received > 0).Select(s => $"{s.Key} {s.Value.Received}"))}" +
        $" | {r.Batches} batches committed | requests {m.Requests}, retries {m.Retries}, 429s {m.RateLimited}" +
        (gate?.Remaining is { TotalSeconds: > 0 } wait ? $" | rate limited: requests paused {Seconds(wait)} s more" : "");

    /// <summary>The live table, fitting 80 columns (no frame; columns a space apart): a row per stream the loader or the
    /// tap's units have seen, ordered by name. A child of the issue sweep shows "(issues)" for its requests, which are the
    /// sweep's; a lookup shared by several streams counts for the one that asked first. On a short terminal
    /// (<paramref name="maxRows"/>) the streams whose unit is running stay, then those with the most records, and the rest
    /// fold into one last row "(N more)" with their sums, so the title with the run's totals never scrolls away.</summary>
    /// <param name="r">The loader's counts.</param>
    /// <param name="m">The client's run totals (the title).</param>
    /// <param name="elapsed">Time since the sync started.</param>
    /// <param name="gate">The rate-limit gate: its pause shows on running units' rows and in the caption.</param>
    /// <param name="units">Each unit's figures so far, or null (then the request columns are left out).</param>
    /// <param name="maxRows">At most this many stream rows (at least 2), or null for every stream.</param>
    internal static Table Render(LoadReport r, JiraClientMetrics m, TimeSpan elapsed, RateLimitGate? gate, IReadOnlyList<UnitClock.Progress>? units,
        int? maxRows = null)
    {
        var table = new Table().Border(TableBorder.None)
            .Title($"jirasync sync  {elapsed:hh\\:mm\\:ss}  requests {m.Requests:N0}  retries {m.Retries:N0}  429s {m.RateLimited:N0}  batches {r.Batches}")
            .AddColumn(Column("stream", left: true)).AddColumn(Column("records")).AddColumn(Column("inserted"))
            .AddColumn(Column("updated")).AddColumn(Column("deleted"));
        if (units is not null)
            table.AddColumn(Column("requests")).AddColumn(Column("retries")).AddColumn(Column("429s")).AddColumn(Column("wait"));
        var wait = gate?.Remaining is { TotalSeconds: > 0 } w ? w : TimeSpan.Zero;
        var byUnit = (units ?? []).ToDictionary(u => u.Unit, StringComparer.Ordinal);
        var rows = r.Streams.Keys.Union(byUnit.Keys).Select(name => new Row(name, r.Streams.GetValueOrDefault(name) ?? new StreamCounts(),
            byUnit.GetValueOrDefault(name), UnitOf(name))).ToList();
        var shown = rows;
        Row? folded = null;
        if (maxRows is { } max && rows.Count > Math.Max(2, max))
        {
            bool Running(Row x) => byUnit.GetValueOrDefault(x.Unit)?.Running == true;
            shown = rows.OrderByDescending(Running).ThenByDescending(x => x.Counts.Received).ThenBy(x => x.Name, StringComparer.Ordinal)
                .Take(Math.Max(2, max) - 1).ToList();
            var rest = rows.Except(shown).ToList();
            folded = new Row($"({rest.Count} more)", new StreamCounts
            {
                Received = rest.Sum(x => x.Counts.Received), Inserted = rest.Sum(x => x.Counts.Inserted),
                Updated = rest.Sum(x => x.Counts.Updated), MarkedDeleted = rest.Sum(x => x.Counts.MarkedDeleted),
            }, new UnitClock.Progress("", rest.Sum(x => x.Own?.Requests ?? 0), rest.Sum(x => x.Own?.Retries ?? 0),
                rest.Sum(x => x.Own?.RateLimited ?? 0), false), "");
        }
        foreach (var row in shown.OrderBy(x => x.Name, StringComparer.Ordinal).Append(folded).OfType<Row>())
        {
            var c = row.Counts;
            var cells = new List<string> { $"{c.Received:N0}", $"{c.Inserted:N0}", $"{c.Updated:N0}", $"{c.MarkedDeleted:N0}" };
            if (units is not null)
                cells.AddRange(row.Own is { } u
                    ? [$"{u.Requests:N0}", $"{u.Retries:N0}", $"{u.RateLimited:N0}", u.Running && wait > TimeSpan.Zero ? $"{Seconds(wait)}s" : ""]
                    : [row.Unit != row.Name ? Markup.Escape($"({row.Unit})") : "", "", "", ""]);
            table.AddRow([Markup.Escape(row.Name), .. cells.Select(cell => " " + cell)]);
        }
        if (wait > TimeSpan.Zero)
            table.Caption($"[yellow]rate limited by Jira: all requests paused, {Seconds(wait)} s left[/]");
        return table;

        static string UnitOf(string name) => StreamRegistry.Find(name) is { } d ? TapRunner.UnitOf(d) : name;
    }

    /// <summary>A stream's row: the loader's counts, its own unit's figures (null for a child of another unit), its unit.</summary>
    private sealed record Row(string Name, StreamCounts Counts, UnitClock.Progress? Own, string Unit);

    /// <summary>Whole seconds of a pause still to wait, rounded up: a pause with 0.4 s left reads "1", never "0 s left".</summary>
    private static long Seconds(TimeSpan wait) => (long)Math.Ceiling(wait.TotalSeconds);

    // Spectre draws no cell padding on a table without borders (but would still count it against the width): no padding,
    // and the space between columns is a leading space of each right-aligned header and cell.
    private static TableColumn Column(string header, bool left = false) =>
        left ? new TableColumn(header) { Padding = new Padding(0) }.NoWrap()
            : new TableColumn(" " + header) { Padding = new Padding(0) }.RightAligned();

    /// <summary>While the live display runs (<see cref="Live"/>): Info and Debug lines are dropped (they would scroll
    /// the table away; the run's extraction log keeps them), warnings and errors pass through at once.</summary>
    private sealed class LiveLog(ILog inner) : ILog
    {
        public volatile bool Live = true;
        public void Write(LogLevel level, string message)
        {
            if (!Live || level >= LogLevel.Warning) inner.Write(level, message);
        }
    }

    /// <summary>A TextWriter handing each complete line to <paramref name="writeLine"/> (thread-safe).</summary>
    private sealed class LineWriter(Action<string> writeLine) : TextWriter
    {
        private readonly StringBuilder _line = new();
        public override Encoding Encoding => Encoding.UTF8;
        public override void Write(char value)
        {
            lock (_line)
            {
                if (value == '\n') { writeLine(_line.ToString().TrimEnd('\r')); _line.Clear(); }
                else _line.Append(value);
            }
        }
        public override void Write(string? value) { foreach (var c in value ?? "") Write(c); }
        public override void WriteLine(string? value) { Write(value); Write('\n'); }
    }
}
