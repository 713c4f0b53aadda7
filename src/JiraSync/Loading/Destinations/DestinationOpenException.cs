using DuckDB.NET.Data;
using JiraSync.Errors;

namespace JiraSync.Loading.Destinations;

/// <summary>
/// A destination that cannot be opened (a duckdb: path that is a directory or not a DuckDB file, a jsonl: path that is a
/// file, a read-only or full disk): bad usage, exit 2, one line naming the destination, the path and the real cause.
/// Raised where a destination or its run history is opened, so every backend reports it the same way.
/// </summary>
public sealed class DestinationOpenException(string message, Exception? inner = null)
    : JiraSyncException(message, ExitCodes.BadUsage, inner)
{
    /// <summary>The failures opening a file-based destination throws: file system errors and DuckDB's, raw or wrapped in
    /// our "cannot open DuckDB database" RunFailedException (but not "in use by another process", which says it all).</summary>
    public static bool IsOpenFailure(DestinationUri uri, Exception ex) => uri.Scheme is "duckdb" or "jsonl" && ex switch
    {
        RunFailedException { InnerException: DuckDBException d } => !d.Message.Contains("lock", StringComparison.OrdinalIgnoreCase),
        JiraSyncException => false,
        DuckDBException => true,
        _ => UserFile.IsFileError(ex),
    };

    /// <summary>"cannot open destination duckdb:x.duckdb (/abs/x.duckdb): it is a directory, not a file". Only for file-based
    /// destinations (duckdb, jsonl); a PostgreSQL failure keeps its own message.</summary>
    /// <param name="uri">The destination that failed to open.</param>
    /// <param name="ex">What opening it (its lock file, folder, database or run history) threw.</param>
    public static DestinationOpenException From(DestinationUri uri, Exception ex)
    {
        if (ex is RunFailedException { InnerException: DuckDBException inner }) ex = inner;
        var path = Path.GetFullPath(uri.Target);
        var cause = WrongKind(uri) ?? uri.Scheme switch
        {
            "duckdb" when ex is DuckDBException d => DuckDbCause(d.Message, path),
            _ => FileCause(ex, uri.Scheme == "jsonl" ? path : Path.GetDirectoryName(path)!, path),
        };
        return new DestinationOpenException(Line(uri, cause), ex);
    }

    /// <summary>The one-line message of <see cref="From"/> when the destination's path is the wrong kind of thing
    /// (a duckdb: directory, a jsonl: file, a file where a directory of the path should be); null otherwise. Readers
    /// (<c>query</c>, <c>runs</c>) say the same as <c>sync</c> through the providers' <c>MissingReason</c>.</summary>
    /// <param name="uri">A file-based destination (duckdb, jsonl); null for any other.</param>
    internal static string? WrongKindMessage(DestinationUri uri) => WrongKind(uri) is { } cause ? Line(uri, cause) : null;

    private static string Line(DestinationUri uri, string cause) => $"cannot open destination {uri.Display} ({Path.GetFullPath(uri.Target)}): {cause}";

    private static string? WrongKind(DestinationUri uri)
    {
        if (uri.Scheme is not ("duckdb" or "jsonl")) return null;
        var path = Path.GetFullPath(uri.Target);
        if (uri.Scheme == "jsonl" && File.Exists(path)) return "it is a file; jsonl: needs a directory (it is created when missing)";
        if (uri.Scheme == "duckdb" && Directory.Exists(path)) return "it is a directory, not a DuckDB database file";
        // The nearest part of the path that exists: a file there means no directory can be created below it.
        for (var d = Path.GetDirectoryName(path); !string.IsNullOrEmpty(d); d = Path.GetDirectoryName(d))
        {
            if (Directory.Exists(d)) return null;
            if (File.Exists(d)) return $"{d} is a file, not a directory";
        }
        return null;
    }

    /// <summary>The cause of a file system error creating <paramref name="path"/> or a file in <paramref name="dir"/>
    /// (the destination's folder): a read-only file or folder is named as such, not as "access denied".</summary>
    private static string FileCause(Exception ex, string dir, string path) => ex switch
    {
        UnauthorizedAccessException when File.Exists(path) && !Writable(path) => ReadOnlyFile,
        UnauthorizedAccessException => $"the directory {NearestExisting(dir)} is not writable for this user (permission denied)",
        IOException { HResult: ReadOnlyFileSystem } => $"the file system holding {NearestExisting(dir)} is read-only",
        IOException { HResult: NoSpace } => "the disk is full (no space left on device)",
        _ when Directory.Exists(path) => ex.Message.TrimEnd('.'), // a jsonl folder: UserFile would say "it is a directory"
        _ => UserFile.Cause(ex, path, writing: true),
    };

    private const int ReadOnlyFileSystem = 30, NoSpace = 28; // EROFS, ENOSPC: .NET puts the errno in IOException.HResult on Unix
    private const string ReadOnlyFile = "the file is read-only for this user (permission denied); make it writable or give another file";

    /// <summary>True when this process may write the file (opened for writing, nothing written: the file is unchanged).</summary>
    private static bool Writable(string file)
    {
        try { using var _ = new FileStream(file, FileMode.Open, FileAccess.Write, FileShare.ReadWrite); return true; }
        catch (Exception e) when (UserFile.IsFileError(e)) { return false; }
    }

    /// <summary><paramref name="dir"/>, or its nearest ancestor that exists (the one whose permissions decide).</summary>
    private static string NearestExisting(string dir)
    {
        for (var d = dir; !string.IsNullOrEmpty(d); d = Path.GetDirectoryName(d))
            if (Directory.Exists(d)) return d;
        return dir;
    }

    private static string DuckDbCause(string message, string path)
    {
        if (message.Contains("not a valid DuckDB database file", StringComparison.OrdinalIgnoreCase))
            return "the file exists but is not a DuckDB database; give a new file name or a DuckDB file";
        if (message.Contains("Permission denied", StringComparison.OrdinalIgnoreCase))
            return File.Exists(path) && !Writable(path) ? ReadOnlyFile
                : $"the directory {NearestExisting(Path.GetDirectoryName(path)!)} is not writable for this user (permission denied)";
        if (message.Contains("Read-only file system", StringComparison.OrdinalIgnoreCase))
            return $"the file system holding {NearestExisting(Path.GetDirectoryName(path)!)} is read-only";
        if (message.Contains("No space left", StringComparison.OrdinalIgnoreCase)) return "the disk is full (no space left on device)";
        var first = message.Split('\n')[0].Trim();
        var io = first.IndexOf("IO Error: ", StringComparison.Ordinal);
        return io >= 0 ? first[(io + "IO Error: ".Length)..] : first;
    }
}
