using System.Diagnostics;
using System.Text;
using JiraSync.Jira;
using JiraSync.Loading;
using JiraSync.Logging;
using JiraSync.Sync;
using Spectre.Console;

namespace JiraSync.Cli;

/// <summary>
/// Progress of a sync: on a terminal a live table on stderr (records, inserted, updated, deleted per stream; HTTP
/// requests, retries and 429s; while Jira's rate limit holds every request, the time left); otherwise a plain log
/// line every few seconds. While the live table is shown, informational lines are left out (the extraction log has
/// them) and warnings and errors are printed above it as they happen.
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
        new(!verbose && !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("TERM") is not (null or "dumb"), clearWhenDone);

    /// <summary>The log to run with: on a terminal, Info lines are dropped while the live table shows.</summary>
    public ILog Wrap(ILog inner)
    {
        _log = inner;
        return _live ? _liveLog = new LiveLog(inner) : inner;
    }

    /// <param name="gate">The Jira client's rate-limit gate, whose remaining pause the display shows.</param>
    public async Task<LoadReport> RunAsync(Loader loader, JiraClientMetrics metrics, Func<Task<LoadReport>> work, RateLimitGate? gate = null)
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
            await console.Live(Render(loader.Snapshot(), metrics, clock.Elapsed, gate)).AutoClear(_clearWhenDone).StartAsync(async ctx =>
            {
                while (await Task.WhenAny(task, Task.Delay(250)) != task)
                    ctx.UpdateTarget(Render(loader.Snapshot(), metrics, clock.Elapsed, gate));
                ctx.UpdateTarget(Render(loader.Snapshot(), metrics, clock.Elapsed, gate));
            });
        }
        finally
        {
            Console.SetError(stderr);
            if (_liveLog is not null) _liveLog.Live = false; // the summary lines after the run are shown again
        }
        return await task;
    }

    public static string PlainLine(LoadReport r, JiraClientMetrics m, TimeSpan elapsed, RateLimitGate? gate = null) =>
        $"progress {elapsed:hh\\:mm\\:ss}: {string.Join(", ", r.Streams.Where(s => s.Value.Received > 0).Select(s => $"{s.Key} {s.Value.Received}"))}" +
        $" | {r.Batches} batches committed | requests {m.Requests}, retries {m.Retries}, 429s {m.RateLimited}" +
        (gate?.Remaining is { TotalSeconds: > 0 } wait ? $" | rate limited: requests paused {wait.TotalSeconds:0} s more" : "");

    private static Table Render(LoadReport r, JiraClientMetrics m, TimeSpan elapsed, RateLimitGate? gate)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"jirasync sync  {elapsed:hh\\:mm\\:ss}  requests {m.Requests:N0}  retries {m.Retries:N0}  429s {m.RateLimited:N0}  batches {r.Batches}")
            .AddColumn("stream").AddColumn(new TableColumn("records").RightAligned())
            .AddColumn(new TableColumn("inserted").RightAligned()).AddColumn(new TableColumn("updated").RightAligned())
            .AddColumn(new TableColumn("deleted").RightAligned());
        foreach (var (name, c) in r.Streams.OrderBy(s => s.Key, StringComparer.Ordinal))
            table.AddRow(Markup.Escape(name), $"{c.Received:N0}", $"{c.Inserted:N0}", $"{c.Updated:N0}", $"{c.MarkedDeleted:N0}");
        if (gate?.Remaining is { TotalSeconds: > 0 } wait)
            table.Caption($"[yellow]rate limited by Jira: all requests paused, {wait.TotalSeconds:0} s left[/]");
        return table;
    }

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
