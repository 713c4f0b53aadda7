using System.Text.Json;
using System.Text.Json.Nodes;
using JiraSync.Jira;

namespace JiraSync.Tests.Tap;

/// <summary>Canned answers by path prefix, for behaviours the simulator does not produce on demand
/// (a project that answers 403/404 only on one endpoint). The longest matching prefix wins.</summary>
public sealed class FakeJiraApi : IJiraApi
{
    private readonly List<(string Prefix, Func<JsonNode?, JsonElement> Answer)> _routes = [];
    public List<string> Requests { get; } = [];
    public List<JsonNode> Bodies { get; } = [];
    public JiraClientMetrics Metrics { get; } = new();

    public FakeJiraApi Json(string prefix, string json)
    {
        _routes.Add((prefix, _ => JsonDocument.Parse(json).RootElement.Clone()));
        return this;
    }

    public FakeJiraApi Throw(string prefix, Func<Exception> error)
    {
        _routes.Add((prefix, _ => throw error()));
        return this;
    }

    /// <summary>An answer computed from the POST body (null for GET).</summary>
    public FakeJiraApi Dynamic(string prefix, Func<JsonNode?, string> json)
    {
        _routes.Add((prefix, body => JsonDocument.Parse(json(body)).RootElement.Clone()));
        return this;
    }

    public Task<JsonElement> GetAsync(string pathAndQuery, CancellationToken ct = default) => Answer(pathAndQuery, null);
    public Task<JsonElement> PostAsync(string path, JsonNode body, CancellationToken ct = default)
    {
        lock (Bodies) Bodies.Add(body.DeepClone());
        return Answer(path, body);
    }

    private Task<JsonElement> Answer(string path, JsonNode? body)
    {
        lock (Requests) Requests.Add(path);
        Metrics.CountRequest();
        // OrderBy, not MaxBy: MaxBy of no value tuples throws instead of giving the default "no route".
        var route = _routes.Where(r => path.StartsWith(r.Prefix, StringComparison.Ordinal)).OrderByDescending(r => r.Prefix.Length).FirstOrDefault();
        if (route.Answer is null) throw new JiraNotFoundException($"GET {path} answered 404 (no fake route)");
        return Task.FromResult(route.Answer(body));
    }
}
