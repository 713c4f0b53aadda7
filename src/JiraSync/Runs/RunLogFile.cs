using System.Globalization;
using System.Text;
using JiraSync.Logging;

namespace JiraSync.Runs;

/// <summary>
/// A run's extraction log: every line the run logs, Debug included (requests, retries, pages), timestamped and
/// with secrets redacted, in LOGDIR/&lt;run-id&gt;.log. Lines are flushed as they are written so a crashed run keeps
/// its log up to the failure. Only the newest <see cref="Keep"/> logs are kept.
/// </summary>
internal sealed class RunLogFile : ILog, IDisposable
{
    public const int Keep = 50;

    private readonly StreamWriter _writer;
    private readonly Redactor _redactor;
    private readonly TimeProvider _clock;
    private readonly object _gate = new();
    private bool _closed;

    public string Path { get; }

    public RunLogFile(string directory, string runId, Redactor redactor, TimeProvider? clock = null)
    {
        Directory.CreateDirectory(directory);
        Path = System.IO.Path.Combine(directory, runId + ".log");
        _writer = new StreamWriter(new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read), new UTF8Encoding(false));
        _redactor = redactor;
        _clock = clock ?? TimeProvider.System;
    }

    public void Write(LogLevel level, string message)
    {
        var line = $"{_clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)} {StderrLog.Name(level)} {_redactor.Redact(message)}";
        lock (_gate)
        {
            if (_closed) return;
            _writer.WriteLine(line);
            _writer.Flush();
        }
    }

    /// <summary>Deletes all but the newest <paramref name="keep"/> run logs in <paramref name="directory"/> (run ids
    /// sort by start time, so by name is by age). Returns how many were deleted.</summary>
    public static int Prune(string directory, int keep = Keep)
    {
        if (!Directory.Exists(directory)) return 0;
        var old = Directory.GetFiles(directory, "*.log").Order(StringComparer.Ordinal).SkipLast(keep).ToList();
        foreach (var f in old)
        {
            try { File.Delete(f); }
            catch (IOException) { /* a log still open elsewhere goes in the next prune */ }
        }
        return old.Count;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_closed) return;
            _closed = true;
            _writer.Dispose();
        }
    }
}
