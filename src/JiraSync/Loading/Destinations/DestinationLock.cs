using JiraSync.Errors;

namespace JiraSync.Loading.Destinations;

/// <summary>
/// Makes sure two runs never load into one destination at once (two schedules, or a schedule and a manual sync):
/// an exclusive lock on a file next to the destination. .NET takes FileShare.None as an advisory flock on Unix, so
/// the lock holds across processes and is released by the kernel when a holder dies; the file itself stays.
/// </summary>
internal sealed class DestinationLock : IDisposable, IAsyncDisposable
{
    private readonly FileStream _stream;

    private DestinationLock(FileStream stream, string path) { _stream = stream; Path = path; }

    /// <summary>The lock file's path.</summary>
    public string Path { get; }

    /// <summary>The lock, or null when another run holds it.</summary>
    public static DestinationLock? TryAcquire(string lockPath)
    {
        var dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(lockPath));
        if (dir is not null) Directory.CreateDirectory(dir);
        try
        {
            var stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            // Who holds it, for a person looking at the file; not used for locking.
            stream.SetLength(0);
            using (var w = new StreamWriter(stream, leaveOpen: true)) w.Write($"pid {Environment.ProcessId} since {DateTimeOffset.UtcNow:O}\n");
            stream.Flush();
            return new DestinationLock(stream, lockPath);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException e)
        {
            throw new ConfigException($"cannot create the lock file {lockPath}: {e.Message}");
        }
    }

    /// <summary>Releases the lock (the file stays).</summary>
    public void Dispose() => _stream.Dispose();
    /// <summary>Releases the lock (the file stays).</summary>
    public ValueTask DisposeAsync() => _stream.DisposeAsync();
}
