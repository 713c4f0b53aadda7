using System.Collections.Concurrent;

namespace JiraSync.Simulator.Control;

/// <summary>One API request as the simulator saw it; <paramref name="At"/> is when its answer was done (UTC).</summary>
public sealed record RequestLogEntry(string Method, string PathAndQuery, int Status, DateTimeOffset At)
{
    /// <summary>When the request arrived (UTC). Tests about when a client sent something compare these: the answer's
    /// <see cref="At"/> is logged after the client may already have read it, later still on a loaded machine.</summary>
    public DateTimeOffset ArrivedAt { get; init; }

    /// <summary>The response's Content-Encoding ("gzip" when compressed), so a client test can tell that it
    /// asked for and decoded a compressed body.</summary>
    public string? ContentEncoding { get; init; }
}

/// <summary>Every API request (not control requests), for tests that check what a client asked for.</summary>
public sealed class RequestLog
{
    private readonly ConcurrentQueue<RequestLogEntry> _entries = new();
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public IReadOnlyList<RequestLogEntry> Entries => _entries.ToArray();

    internal void Add(RequestLogEntry entry)
    {
        _entries.Enqueue(entry);
        Interlocked.Increment(ref _count);
    }

    public void Clear()
    {
        _entries.Clear();
        Interlocked.Exchange(ref _count, 0);
    }
}
