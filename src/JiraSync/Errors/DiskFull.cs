using System.Text.RegularExpressions;

namespace JiraSync.Errors;

/// <summary>
/// A disk that filled while a run wrote to it (ENOSPC, or a quota, EDQUOT), whoever reported it: .NET's file API (errno in
/// <see cref="Exception.HResult"/>) or a database engine's own message (DuckDB: <c>Could not write file "PATH": No space
/// left on device</c>). Turned into one line naming the file and the cause, and saying that what was committed stays.
/// </summary>
public static partial class DiskFull
{
    private const int NoSpace = 28, QuotaExceeded = 122; // ENOSPC, EDQUOT

    /// <summary>"the disk is full: no space left on device writing /data/jira.duckdb.wal (destination duckdb:jira.duckdb);
    /// what was committed before stays, and the next run resumes from there once space is freed" (exit 1), or null when
    /// neither <paramref name="ex"/> nor an exception inside it is a full disk.</summary>
    /// <param name="ex">What the run threw.</param>
    /// <param name="destination">The destination's printable name, or null when unknown.</param>
    public static RunFailedException? Describe(Exception ex, string? destination = null)
    {
        if (ex is RunFailedException r && r.Data.Contains(Marker)) return r;
        for (Exception? e = ex; e != null; e = e.InnerException)
        {
            if (!IsDiskFull(e)) continue;
            var file = FilePath(e.Message);
            var where = (file, destination) switch
            {
                ({ } f, { } d) => $" writing {f} (destination {d})",
                ({ } f, null) => $" writing {f}",
                (null, { } d) => $" writing destination {d}",
                _ => "",
            };
            var cause = e.Message.Contains("quota", StringComparison.OrdinalIgnoreCase) || e.HResult == QuotaExceeded
                ? "disk quota exceeded" : "no space left on device";
            var full = new RunFailedException($"the disk is full: {cause}{where}; what was committed before stays, and the next run resumes from there once space is freed", ex);
            full.Data[Marker] = true;
            return full;
        }
        return null;
    }

    private const string Marker = "jirasync.disk-full";

    private static bool IsDiskFull(Exception e) =>
        e is IOException { HResult: NoSpace or QuotaExceeded }
        || e.Message.Contains("No space left on device", StringComparison.OrdinalIgnoreCase)
        || e.Message.Contains("Disk quota exceeded", StringComparison.OrdinalIgnoreCase);

    // DuckDB: `… Could not write file "/x/y.wal": No space left on device`; .NET: `No space left on device : '/x/y.jsonl'`.
    [GeneratedRegex("""file "(?<p>[^"]+)"|: '(?<p>[^']+)'""")]
    private static partial Regex PathInMessage();

    private static string? FilePath(string message) => PathInMessage().Match(message) is { Success: true } m ? m.Groups["p"].Value : null;
}
