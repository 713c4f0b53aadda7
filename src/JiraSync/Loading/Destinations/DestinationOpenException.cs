using DuckDB.NET.Data;
using JiraSync.Errors;

namespace JiraSync.Loading.Destinations;

/// <summary>
/// A destination that cannot be opened (a duckdb: path that is a directory or not a DuckDB file, a jsonl: path that is a
/// file, a read-only or full disk): bad usage, exit 2, one line naming the destination, the path and the real cause.
/// Raised where a destination or its run history is opened, so every backend reports it the same way.
/// </summary>
internal sealed class DestinationOpenException(string message, Exception? inner = null)
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
    public static DestinationOpenException From(DestinationUri uri, Exception ex)
    {
        if (ex is RunFailedException { InnerException: DuckDBException inner }) ex = inner;
        var path = Path.GetFullPath(uri.Target);
        var cause = uri.Scheme switch
        {
            "jsonl" when File.Exists(path) => "it is a file; jsonl: needs a directory (it is created when missing)",
            "duckdb" when Directory.Exists(path) => "it is a directory, not a DuckDB database file",
            "duckdb" when ex is DuckDBException d => DuckDbCause(d.Message),
            _ => UserFile.Cause(ex, path, writing: true),
        };
        return new DestinationOpenException($"cannot open destination {uri.Display} ({path}): {cause}", ex);
    }

    private static string DuckDbCause(string message)
    {
        if (message.Contains("not a valid DuckDB database file", StringComparison.OrdinalIgnoreCase))
            return "the file exists but is not a DuckDB database; give a new file name or a DuckDB file";
        if (message.Contains("Permission denied", StringComparison.OrdinalIgnoreCase)) return "permission denied (the file or its directory is not writable)";
        if (message.Contains("Read-only file system", StringComparison.OrdinalIgnoreCase)) return "the file system is read-only";
        if (message.Contains("No space left", StringComparison.OrdinalIgnoreCase)) return "the disk is full";
        var first = message.Split('\n')[0].Trim();
        var io = first.IndexOf("IO Error: ", StringComparison.Ordinal);
        return io >= 0 ? first[(io + "IO Error: ".Length)..] : first;
    }
}
