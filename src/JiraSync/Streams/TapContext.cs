using JiraSync.Config;
using JiraSync.Jira.Paging;
using JiraSync.Jira;
using JiraSync.Logging;
using System.Text.Json;

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

    /// <summary>Data Center's search window, learnt once per run (<see cref="Streams.SearchWindow"/>).</summary>
    public SearchWindow SearchWindow { get; } = new();

    /// <summary>Where the issue sweep records Jira's own counts for the run's reconciliation (null: not wanted, as in `tap`).</summary>
    public IssueTally? Tally { get; init; }

    private IReadOnlyList<JsonElement>? _projects;
    private Exception? _projectsFailure;
    private IReadOnlyList<string>? _scope;

    /// <summary>The visible projects (limited to config "projects" when set), read once per run:
    /// project/search on Cloud, the plain project list on Server/DC (jira-api-notes.md §6). A configured project
    /// that is not visible is warned about once. A failure (403/404) is remembered and rethrown to every caller,
    /// so the streams sharing the list each skip with one request, not one each.</summary>
    public async Task<IReadOnlyList<JsonElement>> ProjectsAsync(CancellationToken ct)
    {
        if (_projects != null) return _projects;
        if (_projectsFailure != null) throw _projectsFailure;
        try { return _projects = await ReadProjectsAsync(ct); }
        catch (Exception ex) when (ex is JiraForbiddenException or JiraNotFoundException)
        {
            _projectsFailure = ex;
            throw;
        }
    }

    /// <summary>Fixes the configured projects the searches name to those that exist and are visible, once per run,
    /// before any search: Jira answers 400 to a JQL naming an unknown project, and would fail the whole sweep.
    /// Throws <see cref="Errors.ConfigException"/> when none of them is visible. When the project list itself may not be
    /// read, the configured keys are used as given.</summary>
    public async Task ResolveProjectScopeAsync(CancellationToken ct)
    {
        if (config.Projects.Count == 0 || _scope != null) return;
        try
        {
            var visible = (await ProjectsAsync(ct)).Select(p => p.TryGetProperty("key", out var k) ? k.GetString() ?? "" : "").ToList();
            if (visible.Count == 0)
                throw new Errors.ConfigException($"none of the configured projects ({string.Join(", ", config.Projects)}) exists or is visible to this user; check \"projects\" in the config");
            _scope = visible;
        }
        catch (Exception ex) when (ex is JiraForbiddenException or JiraNotFoundException)
        {
            log.Warn($"the project list may not be read ({ex.Message}); the issue search names the configured projects as given");
            _scope = config.Projects;
        }
    }

    /// <summary>The projects stream's own read, shared (one request per run): its declaration filters to the configured
    /// projects and warns about those not visible.</summary>
    private async Task<IReadOnlyList<JsonElement>> ReadProjectsAsync(CancellationToken ct)
    {
        var read = await ReadAsync(StreamRegistry.Get("projects"), ct);
        return read.Records.Select(r => JsonSerializer.SerializeToElement(r.Record)).ToList();
    }

    private readonly Dictionary<string, Task<StreamRead>> _reads = new(StringComparer.Ordinal);

    /// <summary>Jira's field list read at the start of the run (null when not needed or not readable).</summary>
    public IReadOnlyList<JiraField>? Fields { get; init; }

    /// <summary>A declared stream's records, read once per run and shared: by its own unit and by every child
    /// stream that needs its records as parents (boards for sprints, projects for versions).</summary>
    public Task<StreamRead> ReadAsync(StreamDefinition def, CancellationToken ct)
    {
        lock (_reads)
        {
            // A failed read stays failed for the run (a refused list is asked once, not once per stream that needs it).
            if (!_reads.TryGetValue(def.Name, out var read) || read.IsCanceled)
                _reads[def.Name] = read = DeclaredStreamFetcher.ReadAllAsync(this, def, ct);
            return read;
        }
    }

    private readonly HashSet<(string, int?)> _skips = [];

    /// <summary>True the first time a stream skips a partition for this status in this run.</summary>
    public bool FirstSkip(string stream, int? status)
    {
        lock (_skips) return _skips.Add((stream, status));
    }

    /// <summary>A JQL prefix limiting a search to the configured projects that are visible ("" when all are wanted);
    /// see <see cref="ResolveProjectScopeAsync"/>.</summary>
    public string ProjectClause() => config.Projects.Count == 0 ? ""
        : $"project in ({string.Join(", ", (_scope ?? config.Projects).Select(p => "\"" + p.Replace("\"", "") + "\""))}) AND ";
}
