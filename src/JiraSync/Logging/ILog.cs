using System.Text.Json.Nodes;

namespace JiraSync.Logging;

/// <summary>Severity of a log line; the names are Singer's line prefixes (DEBUG, INFO, WARNING, ERROR).</summary>
public enum LogLevel
{
    /// <summary>Detail for diagnosis; shown on stderr only with --verbose.</summary>
    Debug,
    /// <summary>Progress and metrics.</summary>
    Info,
    /// <summary>Something was skipped or degraded; the run goes on.</summary>
    Warning,
    /// <summary>Something failed.</summary>
    Error,
}

/// <summary>Where log lines go. Implementations must be thread-safe. Callers pass plain messages;
/// a <see cref="Redactor"/> in front of every sink removes secrets.</summary>
public interface ILog
{
    /// <summary>Writes one line.</summary>
    /// <param name="level">Its severity.</param>
    /// <param name="message">One line of plain text, without the level prefix; secrets are redacted by the sink.</param>
    void Write(LogLevel level, string message);
}

/// <summary>One call per level: <c>log.Info("...")</c> is <c>log.Write(LogLevel.Info, "...")</c>.</summary>
public static class LogExtensions
{
    /// <summary>Writes <paramref name="message"/> at <see cref="LogLevel.Debug"/>.</summary>
    /// <param name="log">The sink.</param>
    /// <param name="message">One line of plain text.</param>
    public static void Debug(this ILog log, string message) => log.Write(LogLevel.Debug, message);
    /// <summary>Writes <paramref name="message"/> at <see cref="LogLevel.Info"/>.</summary>
    /// <param name="log">The sink.</param>
    /// <param name="message">One line of plain text.</param>
    public static void Info(this ILog log, string message) => log.Write(LogLevel.Info, message);
    /// <summary>Writes <paramref name="message"/> at <see cref="LogLevel.Warning"/>.</summary>
    /// <param name="log">The sink.</param>
    /// <param name="message">One line of plain text.</param>
    public static void Warn(this ILog log, string message) => log.Write(LogLevel.Warning, message);
    /// <summary>Writes <paramref name="message"/> at <see cref="LogLevel.Error"/>.</summary>
    /// <param name="log">The sink.</param>
    /// <param name="message">One line of plain text.</param>
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
/// <param name="secrets">Values to hide; those shorter than 4 characters are ignored (they would mangle ordinary text).</param>
public sealed class Redactor(IEnumerable<string> secrets)
{
    private volatile string[] _secrets = Normalize(secrets);

    /// <summary>The text with every secret of this redactor and of <see cref="Process"/> replaced by "***".</summary>
    /// <param name="text">Any text about to leave the process.</param>
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
/// <param name="verbose">Also write <see cref="LogLevel.Debug"/> lines.</param>
/// <param name="redactor">Hides secrets from each line.</param>
public sealed class StderrLog(bool verbose, Redactor redactor) : ILog
{
    private readonly object _gate = new();
    /// <inheritdoc/>
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
/// <param name="redactor">Hides secrets from each line; <see cref="Redactor.Process"/> when null.</param>
public sealed class MemoryLog(Redactor? redactor = null) : ILog
{
    private readonly List<string> _lines = [];
    /// <inheritdoc/>
    public void Write(LogLevel level, string message)
    {
        var line = $"{StderrLog.Name(level)} {(redactor ?? Redactor.Process).Redact(message)}";
        lock (_lines) _lines.Add(line);
    }
    /// <summary>The lines so far, oldest first, each as "LEVEL message" (a copy).</summary>
    public IReadOnlyList<string> Lines { get { lock (_lines) return _lines.ToArray(); } }
}
