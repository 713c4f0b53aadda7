using JiraSync.Simulator.Jql;
using JiraSync.Simulator.Model;

namespace JiraSync.Simulator.Endpoints;

/// <summary>Runs JQL over the visible issues. Results are cached per query text and data version, so
/// paging through 50k issues sorts once, not once per page. Callers hold the store's read lock.</summary>
internal sealed class IssueSearch(SimulatorStore store)
{
    private readonly object _sync = new();
    private readonly Dictionary<string, (long Version, long Now, long Lag, bool Bounded, SimIssue[] Issues)> _cache = [];

    public SimIssue[] Run(string? jql, bool requireBounded, bool strictIssueKeys = true)
    {
        var text = jql?.Trim() ?? "";
        var cacheKey = (strictIssueKeys ? "S|" : "L|") + text;
        lock (_sync)
        {
            if (_cache.TryGetValue(cacheKey, out var hit) && hit.Version == store.DataVersion && hit.Now == store.NowMs && hit.Lag == store.SearchLagMs)
            {
                if (requireBounded && !hit.Bounded) throw Unbounded();
                return hit.Issues;
            }
        }
        var query = new JqlParser(store, strictIssueKeys).Parse(text);
        if (requireBounded && !query.Bounded) throw Unbounded();
        var result = store.Issues.Where(i => store.IsVisible(i) && store.IsIndexed(i) && query.Matches(i)).ToArray();
        Array.Sort(result, query.Compare);
        lock (_sync)
        {
            if (_cache.Count > 32) _cache.Clear();
            _cache[cacheKey] = (store.DataVersion, store.NowMs, store.SearchLagMs, query.Bounded, result);
        }
        return result;
    }

    // Enhanced search refuses queries without a restriction (OpenAPI searchAndReconsileIssuesUsingJql: "bounded query").
    private static JqlException Unbounded() =>
        new("Unbounded JQL queries are not allowed here. Please add a search restriction to your query.");

    /// <summary>A stable (process-independent) hash of the query, bound into page tokens.</summary>
    public static uint Hash(string? jql)
    {
        var h = 2166136261u;
        foreach (var c in jql?.Trim() ?? "") { h ^= c; h *= 16777619u; }
        return h;
    }
}
