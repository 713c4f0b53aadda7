using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using JiraSync.Jira;

namespace JiraSync.Bench;

/// <summary>Wraps the client to add up the time spent waiting for each endpoint, so the benchmark
/// can tell the server's share of the wall time from the tap's own work.</summary>
public sealed class TimedApi(IJiraApi inner) : IJiraApi
{
    public ConcurrentDictionary<string, (long Count, double Seconds)> ByEndpoint { get; } = new();
    public JiraClientMetrics Metrics => inner.Metrics;

    public Task<JsonElement> GetAsync(string pathAndQuery, CancellationToken ct = default) => Time(pathAndQuery, () => inner.GetAsync(pathAndQuery, ct));
    public Task<JsonElement> PostAsync(string path, JsonNode body, CancellationToken ct = default) => Time(path, () => inner.PostAsync(path, body, ct));

    /// <summary>Pages as the client reads them (item by item), timed like the rest.</summary>
    public Task<JiraSync.Jira.Paging.ItemPage> GetPageAsync(string pathAndQuery, string itemsKey, CancellationToken ct = default) =>
        Time(pathAndQuery, () => inner.GetPageAsync(pathAndQuery, itemsKey, ct));
    /// <summary>Pages as the client reads them (item by item), timed like the rest.</summary>
    public Task<JiraSync.Jira.Paging.ItemPage> PostPageAsync(string path, JsonNode body, string itemsKey, CancellationToken ct = default) =>
        Time(path, () => inner.PostPageAsync(path, body, itemsKey, ct));

    private async Task<T> Time<T>(string path, Func<Task<T>> call)
    {
        var key = Endpoint(path);
        var sw = Stopwatch.StartNew();
        try { return await call(); }
        finally { ByEndpoint.AddOrUpdate(key, (1, sw.Elapsed.TotalSeconds), (_, v) => (v.Count + 1, v.Seconds + sw.Elapsed.TotalSeconds)); }
    }

    private static string Endpoint(string path)
    {
        var p = path.Split('?')[0].Replace("rest/api/2/", "");
        return string.Join('/', p.Split('/').Select(s => s.All(char.IsDigit) ? "{id}" : s));
    }
}
