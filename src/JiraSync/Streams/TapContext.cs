using JiraSync.Config;
using JiraSync.Jira.Paging;
using JiraSync.Jira;
using JiraSync.Logging;
using System.Text.Json;

namespace JiraSync.Streams;

/// <summary>What every fetcher of one run shares.</summary>
internal sealed class TapContext(IJiraApi api, JiraSyncConfig config, ILog log, JiraInstanceInfo instance, TapOutput output)
{
    internal IJiraApi Api => api;
    internal JiraSyncConfig Config => config;
    internal ILog Log => log;
    internal JiraInstanceInfo Instance => instance;
    internal TapOutput Output => output;
    internal int Concurrency => Math.Max(1, config.MaxConcurrency);
    public int PageSize => Math.Clamp(config.PageSize, 1, 1000);

    /// <summary>Data Center's search window, learnt once per run (<see cref="Streams.SearchWindow"/>).</summary>
    internal SearchWindow SearchWindow { get; } = new();

    /// <summary>Where the issue sweep records Jira's own counts for the run's reconciliation (null: not wanted, as in `tap`).</summary>
    internal IssueTally? Tally { get; init; }

    private IReadOnlyList<JsonElement>? _projects;
    private IReadOnlyList<string>? _scope;

    /// <summary>The visible projects (limited to config "projects" when set): the projects stream's own read,
    /// shared with its unit and its children (project/search on Cloud, the plain project list on Server/DC,
    /// jira-api-notes.md §6), so the list is asked once per run; a refusal (403/404) is thrown to every caller and
    /// each stream that needs the list skips without asking again. A configured project that is not visible is warned
    /// about once, by the stream's record filter.</summary>
    internal async Task<IReadOnlyList<JsonElement>> ProjectsAsync(CancellationToken ct) =>
        _projects ??= (await ReadAsync(StreamRegistry.Get("projects"), ct)).Records
            .Select(r => JsonSerializer.SerializeToElement(r.Record)).ToList();

    /// <summary>Fixes the configured projects the searches name to those that exist and are visible, once per run,
    /// before any search: Jira answers 400 to a JQL naming an unknown project, and would fail the whole sweep.
    /// Throws <see cref="Errors.ConfigException"/> when none of them is visible. When the project list itself may not be
    /// read, the configured keys are used as given.</summary>
    internal async Task ResolveProjectScopeAsync(CancellationToken ct)
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

    private readonly Dictionary<string, Task<StreamRead>> _reads = new(StringComparer.Ordinal);

    /// <summary>Jira's field list read at the start of the run (null when not needed or not readable).</summary>
    internal IReadOnlyList<JiraField>? Fields { get; init; }

    /// <summary>A declared stream's records, read once per run and shared: by its own unit and by every child
    /// stream that needs its records as parents (boards for sprints, projects for versions).</summary>
    internal Task<StreamRead> ReadAsync(StreamDefinition def, CancellationToken ct)
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
    internal bool FirstSkip(string stream, int? status)
    {
        lock (_skips) return _skips.Add((stream, status));
    }

    /// <summary>A JQL prefix limiting a search to the configured projects that are visible ("" when all are wanted);
    /// see <see cref="ResolveProjectScopeAsync"/>.</summary>
    internal string ProjectClause() => config.Projects.Count == 0 ? ""
        : $"project in ({string.Join(", ", (_scope ?? config.Projects).Select(p => "\"" + p.Replace("\"", "") + "\""))}) AND ";
}
