using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using JiraSync.Jira;

namespace JiraSync.Bench;

/// <summary>Wraps the client to add up the time spent waiting for each endpoint, so the benchmark
/// can tell the server's share of the wall time from the tap's own work; with a timeline, it also keeps
/// when each request started and ended (seconds since the wrapper was made) and the size of its answer.</summary>
public sealed class TimedApi(IJiraApi inner) : IJiraApi
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>Requests and seconds spent waiting, per endpoint (ids in paths replaced by {id}).</summary>
    public ConcurrentDictionary<string, (long Count, double Seconds)> ByEndpoint { get; } = new();

    /// <summary>Every request in the order they ended: endpoint, start and end (seconds since the wrapper was made),
    /// and the answer's JSON size in KiB (the simulator's per-KiB latency is charged on about that size).</summary>
    public ConcurrentQueue<(string Endpoint, double Start, double End, double KiB)> Timeline { get; } = new();

    /// <inheritdoc/>
    public JiraClientMetrics Metrics => inner.Metrics;

    /// <inheritdoc/>
    public Task<JsonElement> GetAsync(string pathAndQuery, CancellationToken ct = default) => Time(pathAndQuery, () => inner.GetAsync(pathAndQuery, ct), Size);
    /// <inheritdoc/>
    public Task<JsonElement> PostAsync(string path, JsonNode body, CancellationToken ct = default) => Time(path, () => inner.PostAsync(path, body, ct), Size);

    /// <summary>Pages as the client reads them (item by item), timed like the rest.</summary>
    public Task<JiraSync.Jira.Paging.ItemPage> GetPageAsync(string pathAndQuery, string itemsKey, CancellationToken ct = default) =>
        Time(pathAndQuery, () => inner.GetPageAsync(pathAndQuery, itemsKey, ct), Size);
    /// <summary>Pages as the client reads them (item by item), timed like the rest.</summary>
    public Task<JiraSync.Jira.Paging.ItemPage> PostPageAsync(string path, JsonNode body, string itemsKey, CancellationToken ct = default) =>
        Time(path, () => inner.PostPageAsync(path, body, itemsKey, ct), Size);

    // The answer's JSON length in bytes (a page: its envelope plus its items, about the body's size).
    private static long Size(JsonElement answer) => answer.GetRawText().Length;
    private static long Size(JiraSync.Jira.Paging.ItemPage page) => page.Envelope.GetRawText().Length + page.Items.Sum(i => (long)i.GetRawText().Length);

    private async Task<T> Time<T>(string path, Func<Task<T>> call, Func<T, long> size)
    {
        var key = Endpoint(path);
        var start = _clock.Elapsed.TotalSeconds;
        var kib = 0.0;
        try
        {
            var answer = await call();
            kib = size(answer) / 1024.0;
            return answer;
        }
        finally
        {
            var end = _clock.Elapsed.TotalSeconds;
            ByEndpoint.AddOrUpdate(key, (1, end - start), (_, v) => (v.Count + 1, v.Seconds + end - start));
            Timeline.Enqueue((key, start, end, kib));
        }
    }

    /// <summary>Writes the timeline, one request a line sorted by start, and the bound it implies: the simulated
    /// latency (<paramref name="fixedMs"/> + <paramref name="perKiBMs"/> per KiB) summed and divided by
    /// <paramref name="concurrency"/>.</summary>
    public void WriteTimeline(TextWriter to, double fixedMs, double perKiBMs, int concurrency)
    {
        var total = 0.0;
        foreach (var r in Timeline.OrderBy(r => r.Start))
        {
            var simulated = (fixedMs + perKiBMs * r.KiB) / 1000;
            total += simulated;
            to.WriteLine($"  {r.Start,7:0.000} {r.End,7:0.000} {r.End - r.Start,6:0.000} s (simulated {simulated,6:0.000}) {r.KiB,8:0} KiB  {r.Endpoint}");
        }
        to.WriteLine($"  simulated latency {total:0.00} s in all over {Timeline.Count} requests; / {concurrency} = {total / concurrency:0.00} s");
    }

    private static string Endpoint(string path)
    {
        var p = path.Split('?')[0].Replace("rest/api/2/", "");
        return string.Join('/', p.Split('/').Select(s => s.All(char.IsDigit) ? "{id}" : s));
    }
}
