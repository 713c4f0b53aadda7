using System.Diagnostics;
using JiraSync.Jira;
using JiraSync.Loading;
using JiraSync.Logging;
using JiraSync.Sync;
using Spectre.Console;

namespace JiraSync.Cli;

/// <summary>
/// Progress of a sync: on a terminal a live table (records per stream, inserted/updated, requests,
/// retries) on stderr; otherwise a plain log line every few seconds. While the live table is shown,
/// informational log lines are held back (they would tear the display) and warnings are printed after it.
/// </summary>
public sealed class SyncProgress : ISyncProgress
{
    private static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(10);
    private readonly bool _live;
    private HeldLog? _held;
    private ILog? _log;

    private readonly bool _clearWhenDone;

    private SyncProgress(bool live, bool clearWhenDone)
    {
        _live = live;
        _clearWhenDone = clearWhenDone;
    }

    /// <param name="clearWhenDone">Remove the live table at the end (when a final report follows anyway).</param>
    public static SyncProgress Create(bool verbose, bool clearWhenDone = false) =>
        new(!verbose && !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("TERM") is not (null or "dumb"), clearWhenDone);

    public ILog Wrap(ILog inner)
    {
        _log = inner;
        return _live ? _held = new HeldLog(inner) : inner;
    }

    public async Task<LoadReport> RunAsync(Loader loader, JiraClientMetrics metrics, Func<Task<LoadReport>> work)
    {
        var clock = Stopwatch.StartNew();
        var task = work();
        if (!_live)
        {
            while (await Task.WhenAny(task, Task.Delay(PlainInterval)) != task)
                _log?.Info(PlainLine(loader.Snapshot(), metrics, clock.Elapsed));
            return await task;
        }
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        try
        {
            await console.Live(Render(loader.Snapshot(), metrics, clock.Elapsed)).AutoClear(_clearWhenDone).StartAsync(async ctx =>
            {
                while (await Task.WhenAny(task, Task.Delay(250)) != task)
                    ctx.UpdateTarget(Render(loader.Snapshot(), metrics, clock.Elapsed));
                ctx.UpdateTarget(Render(loader.Snapshot(), metrics, clock.Elapsed));
            });
        }
        finally { _held?.Release(); }
        return await task;
    }

    public static string PlainLine(LoadReport r, JiraClientMetrics m, TimeSpan elapsed) =>
        $"progress {elapsed:hh\\:mm\\:ss}: {string.Join(", ", r.Streams.Where(s => s.Value.Received > 0).Select(s => $"{s.Key} {s.Value.Received}"))}" +
        $" | {r.Batches} batches committed | requests {m.Requests}, retries {m.Retries}";

    private static Table Render(LoadReport r, JiraClientMetrics m, TimeSpan elapsed)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"jirasync sync  {elapsed:hh\\:mm\\:ss}  requests {m.Requests}  retries {m.Retries}  batches {r.Batches}")
            .AddColumn("stream").AddColumn(new TableColumn("records").RightAligned())
            .AddColumn(new TableColumn("inserted").RightAligned()).AddColumn(new TableColumn("updated").RightAligned())
            .AddColumn(new TableColumn("deleted").RightAligned());
        foreach (var (name, c) in r.Streams.OrderBy(s => s.Key, StringComparer.Ordinal))
            table.AddRow(Markup.Escape(name), $"{c.Received:N0}", $"{c.Inserted:N0}", $"{c.Updated:N0}", $"{c.MarkedDeleted:N0}");
        return table;
    }

    /// <summary>Holds log lines back while the live display runs.</summary>
    private sealed class HeldLog(ILog inner) : ILog
    {
        private readonly List<(LogLevel, string)> _held = [];
        private bool _released;
        public void Write(LogLevel level, string message)
        {
            lock (_held)
            {
                if (_released) { inner.Write(level, message); return; }
                if (level >= LogLevel.Warning) _held.Add((level, message));
            }
        }

        public void Release()
        {
            lock (_held)
            {
                _released = true;
                foreach (var (level, message) in _held) inner.Write(level, message);
                _held.Clear();
            }
        }
    }
}
