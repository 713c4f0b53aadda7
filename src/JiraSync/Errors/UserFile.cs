namespace JiraSync.Errors;

/// <summary>
/// Files the user names (config, catalog, state, ca_cert, report output, destinations): their real
/// problem in a few words, so "permission denied" is never said of a directory or a full disk.
/// </summary>
public static class UserFile
{
    // errno values .NET puts in IOException.HResult on Unix.
    private const int NoSpace = 28, ReadOnlyFileSystem = 30, IsADirectory = 21, NotADirectory = 20, QuotaExceeded = 122;

    /// <summary>Why <paramref name="path"/> could not be read or written, from the exception and the file system:
    /// "it is a directory, not a file", "no such file", "no such directory /x", "permission denied", "the disk is full", ….</summary>
    /// <param name="ex">What the file access threw.</param>
    /// <param name="path">The file as the user named it.</param>
    /// <param name="writing">The access was a write (changes what "permission denied" is said of).</param>
    public static string Cause(Exception ex, string path, bool writing = false)
    {
        if (Directory.Exists(path)) return "it is a directory, not a file";
        var parent = Path.GetDirectoryName(Path.GetFullPath(path));
        if (parent != null && !Directory.Exists(parent))
            return File.Exists(parent) ? $"{parent} is a file, not a directory" : $"no such directory {parent}";
        return ex switch
        {
            FileNotFoundException => "no such file",
            DirectoryNotFoundException => "no such directory",
            UnauthorizedAccessException when writing && File.Exists(path) => "the file is read-only for this user (permission denied)",
            UnauthorizedAccessException when writing => $"the directory {parent} is not writable for this user (permission denied)",
            UnauthorizedAccessException => "permission denied (the file is not readable for this user)",
            IOException { HResult: NoSpace or QuotaExceeded } => "the disk is full",
            IOException { HResult: ReadOnlyFileSystem } => "the file system is read-only",
            IOException { HResult: IsADirectory } => "it is a directory, not a file",
            IOException { HResult: NotADirectory } => "a part of the path is a file, not a directory",
            _ => ex.Message.TrimEnd('.'),
        };
    }

    /// <summary>True for the exceptions file access throws (so callers can catch exactly these).</summary>
    internal static bool IsFileError(Exception ex) =>
        ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException;

    /// <summary>Reads a whole text file the user named as <paramref name="what"/> ("config file", "catalog", …).
    /// Throws <see cref="ConfigException"/> (exit 2) "cannot read {what} {path}: {cause}", or "{what} {path}: the file is
    /// empty" when <paramref name="allowEmpty"/> is false.</summary>
    /// <param name="path">The file.</param>
    /// <param name="what">What it is, for the message.</param>
    /// <param name="allowEmpty">Accept an empty or all-blank file.</param>
    /// <exception cref="ConfigException">The file cannot be read, or is empty when that is not allowed.</exception>
    public static string ReadAllText(string path, string what, bool allowEmpty = false)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception ex) when (IsFileError(ex))
        {
            throw new ConfigException($"cannot read {what} {path}: {Cause(ex, path)}", ex);
        }
        if (!allowEmpty && string.IsNullOrWhiteSpace(text)) throw new ConfigException($"{what} {path}: the file is empty");
        return text;
    }
}
