using System.Text.Json.Nodes;

namespace JiraSync.Logging;

public enum LogLevel { Debug, Info, Warning, Error }

/// <summary>Where log lines go. Implementations must be thread-safe. Callers pass plain messages;
/// a <see cref="Redactor"/> in front of every sink removes secrets.</summary>
public interface ILog
{
    void Write(LogLevel level, string message);
}

public static class LogExtensions
{
    public static void Debug(this ILog log, string message) => log.Write(LogLevel.Debug, message);
    public static void Info(this ILog log, string message) => log.Write(LogLevel.Info, message);
    public static void Warn(this ILog log, string message) => log.Write(LogLevel.Warning, message);
    public static void Error(this ILog log, string message) => log.Write(LogLevel.Error, message);

    /// <summary>A Singer metric line: "INFO METRIC: {"type":..,"metric":..,"value":..,"tags":{..}}".</summary>
    internal static void Metric(this ILog log, string type, string metric, double value, JsonObject? tags = null)
    {
        var body = new JsonObject { ["type"] = type, ["metric"] = metric, ["value"] = value, ["tags"] = tags ?? new JsonObject() };
        log.Write(LogLevel.Info, "METRIC: " + body.ToJsonString());
    }
}

/// <summary>Replaces every known secret (and its Basic-auth base64 form) with "***" before the line is written.
/// Each redactor also applies <see cref="Process"/>: every secret the process has learned so far (from any config
/// loaded, or a token renewed mid-run), so a line built far from the config still cannot leak one.</summary>
public sealed class Redactor(IEnumerable<string> secrets)
{
    private volatile string[] _secrets = Normalize(secrets);

    public string Redact(string text)
    {
        foreach (var s in _secrets) text = text.Replace(s, "***", StringComparison.Ordinal);
        return ReferenceEquals(this, Process) ? text : Process.Redact(text);
    }

    /// <summary>Adds secrets learned later (thread-safe; used on <see cref="Process"/>).</summary>
    internal void Add(IEnumerable<string> more)
    {
        lock (this) _secrets = Normalize(_secrets.Concat(more));
    }

    private static string[] Normalize(IEnumerable<string> secrets) =>
        secrets.Where(s => s is { Length: >= 4 }).Distinct().OrderByDescending(s => s.Length).ToArray();

    /// <summary>The secrets known to this process; ConfigLoader, destination URIs and token renewal add to it. Every
    /// redactor also applies these, so a log made before the config was read still hides the config's secrets.</summary>
    public static Redactor Process { get; } = new([]);
}

/// <summary>Singer-style lines on stderr ("INFO message"); Debug only when verbose.</summary>
public sealed class StderrLog(bool verbose, Redactor redactor) : ILog
{
    private readonly object _gate = new();
    public void Write(LogLevel level, string message)
    {
        if (level == LogLevel.Debug && !verbose) return;
        var line = $"{Name(level)} {redactor.Redact(message)}";
        lock (_gate) Console.Error.WriteLine(line);
    }

    internal static string Name(LogLevel level) => level switch
    {
        LogLevel.Debug => "DEBUG", LogLevel.Info => "INFO", LogLevel.Warning => "WARNING", _ => "ERROR",
    };
}

/// <summary>Sends each line to several logs (e.g. stderr and a run's extraction log file).</summary>
internal sealed class TeeLog(params ILog[] logs) : ILog
{
    public void Write(LogLevel level, string message) { foreach (var l in logs) l.Write(level, message); }
}

/// <summary>Keeps lines in memory (tests, run reports).</summary>
public sealed class MemoryLog(Redactor? redactor = null) : ILog
{
    private readonly List<string> _lines = [];
    public void Write(LogLevel level, string message)
    {
        var line = $"{StderrLog.Name(level)} {(redactor ?? Redactor.Process).Redact(message)}";
        lock (_lines) _lines.Add(line);
    }
    public IReadOnlyList<string> Lines { get { lock (_lines) return _lines.ToArray(); } }
}
