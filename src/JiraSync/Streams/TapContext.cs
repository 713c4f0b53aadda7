using System.Text.Json;
using JiraSync.Config;
using JiraSync.Jira;
using JiraSync.Logging;

namespace JiraSync.Streams;

/// <summary>What every fetcher of one run shares.</summary>
public sealed class TapContext(IJiraApi api, JiraSyncConfig config, ILog log, JiraInstanceInfo instance, TapOutput output)
{
    public IJiraApi Api => api;
    public JiraSyncConfig Config => config;
    public ILog Log => log;
    public JiraInstanceInfo Instance => instance;
    public TapOutput Output => output;
    public int Concurrency => Math.Max(1, config.MaxConcurrency);
    public int PageSize => Math.Clamp(config.PageSize, 1, 1000);

    /// <summary>Where the issue sweep records Jira's own counts for the run's reconciliation (null: not wanted, as in `tap`).</summary>
    public IssueTally? Tally { get; init; }

    private IReadOnlyList<JsonElement>? _projects;

    /// <summary>The visible projects (limited to config "projects" when set), read once per run:
    /// project/search on Cloud, the plain project list on Server/DC (jira-api-notes.md §6).</summary>
    public async Task<IReadOnlyList<JsonElement>> ProjectsAsync(CancellationToken ct)
    {
        if (_projects != null) return _projects;
        const string expand = "expand=description,lead,url,projectKeys,issueTypes";
        var source = instance.IsServer
            ? JiraPaging.PlainArrayAsync(api, "rest/api/2/project?" + expand, ct)
            : JiraPaging.PageBeanAsync(api, "rest/api/2/project/search?" + expand, Math.Min(PageSize, 100), ct);
        var wanted = config.Projects.Count == 0 ? null : new HashSet<string>(config.Projects, StringComparer.OrdinalIgnoreCase);
        var list = new List<JsonElement>();
        var found = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        await foreach (var p in source.WithCancellation(ct))
        {
            var key = p.TryGetProperty("key", out var k) ? k.GetString() ?? "" : "";
            if (wanted != null && !wanted.Contains(key)) continue;
            found.Add(key);
            list.Add(p);
        }
        if (wanted != null)
            foreach (var missing in wanted.Where(w => !found.Contains(w)))
                log.Warn($"project '{missing}' from the config is not visible to this user; skipped");
        return _projects = list;
    }

    /// <summary>A JQL prefix limiting a search to the configured projects ("" when all are wanted).</summary>
    public string ProjectClause() => config.Projects.Count == 0 ? ""
        : $"project in ({string.Join(", ", config.Projects.Select(p => "\"" + p.Replace("\"", "") + "\""))}) AND ";
}
