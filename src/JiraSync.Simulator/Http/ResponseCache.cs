using System.Collections.Concurrent;

namespace JiraSync.Simulator.Http;

/// <summary>Rendered API responses kept in memory, keyed by method, path and query, request body and
/// the data version and clock they were rendered at, so a benchmark that repeats a run is served
/// without rendering again. Bounded by <see cref="MaxBytes"/>: past it new responses are not kept.</summary>
public sealed class ResponseCache
{
    /// <summary>Total body bytes kept at most (2 GiB: a 50k-issue run's responses fit).</summary>
    public const long MaxBytes = 2L << 30;
    private readonly ConcurrentDictionary<string, CachedResponse> _entries = new();
    private long _bytes;

    /// <summary>The response stored under <paramref name="key"/>, if any.</summary>
    public bool TryGet(string key, out CachedResponse response) => _entries.TryGetValue(key, out response!);

    /// <summary>Keeps <paramref name="response"/> unless the cache is full.</summary>
    public void Add(string key, CachedResponse response)
    {
        if (Interlocked.Add(ref _bytes, response.Body.Length) > MaxBytes) { Interlocked.Add(ref _bytes, -response.Body.Length); return; }
        if (!_entries.TryAdd(key, response)) Interlocked.Add(ref _bytes, -response.Body.Length);
    }
}

/// <summary>One rendered response: status, headers set by the endpoint (content type included) and the
/// uncompressed body.</summary>
public sealed record CachedResponse(int Status, KeyValuePair<string, string>[] Headers, byte[] Body);
