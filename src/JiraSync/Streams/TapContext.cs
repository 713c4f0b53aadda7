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
    private IReadOnlyList<string>? _scope;
    private IReadOnlyList<string>? _site;

    /// <summary>The visible projects (limited to config "projects" when set): the projects stream's own read,
    /// shared with its unit and its children (project/search on Cloud, the plain project list on Server/DC,
    /// jira-api-notes.md §6), so the list is asked once per run; a refusal (403/404) is thrown to every caller and
    /// each stream that needs the list skips without asking again. A configured project that is not visible is warned
    /// about once, by the stream's record filter.</summary>
    public async Task<IReadOnlyList<JsonElement>> ProjectsAsync(CancellationToken ct) =>
        _projects ??= (await ReadAsync(StreamRegistry.Get("projects"), ct)).Records
            .Select(r => JsonSerializer.SerializeToElement(r.Record)).ToList();

    /// <summary>Fixes the projects the searches name, once per run, before any search: the configured projects that exist
    /// and are visible (Jira answers 400 to a JQL naming an unknown project, and would fail the whole sweep), and of those
    /// the ones of this process's partition (<see cref="ProjectPartition"/>). Throws <see cref="Errors.ConfigException"/>
    /// when none of the configured projects is visible. When the project list itself may not be read, the configured
    /// keys are used as given; a partitioned run then needs them (it cannot split what it cannot list).</summary>
    /// <exception cref="Errors.ConfigException">No configured project is visible, or a partitioned run has neither the
    /// project list nor configured projects.</exception>
    public async Task ResolveProjectScopeAsync(CancellationToken ct)
    {
        if ((config.Projects.Count == 0 && config.Partition is null) || _site != null) return;
        try
        {
            var visible = (await ProjectsAsync(ct)).Select(p => p.TryGetProperty("key", out var k) ? k.GetString() ?? "" : "").ToList();
            if (visible.Count == 0 && config.Projects.Count > 0)
                throw new Errors.ConfigException($"none of the configured projects ({string.Join(", ", config.Projects)}) exists or is visible to this user; check \"projects\" in the config");
            _site = visible;
        }
        catch (Exception ex) when (ex is JiraForbiddenException or JiraNotFoundException)
        {
            if (config.Projects.Count == 0)
                throw new Errors.ConfigException($"--partition {config.Partition} splits the site by its project list, which may not be read ({ex.Message}); list the projects in the config's \"projects\" instead");
            log.Warn($"the project list may not be read ({ex.Message}); the issue search names the configured projects as given");
            _site = config.Projects;
        }
        _scope = config.Partition is { } partition ? _site.Where(partition.Owns).ToList() : _site;
        if (config.Partition is { } part)
            log.Info($"partition {part}: {(_scope.Count == 0 ? "no project" : string.Join(", ", _scope))} of the {_site.Count} project(s) in scope" +
                     (part.OwnsSiteStreams ? "; this partition also writes the site-wide streams" : $"; the site-wide streams are written by partition 1/{part.Count}"));
    }

    /// <summary>True when the run has a project scope and not one project is in it (a partition that owns none of the
    /// visible projects): the issue searches have nothing to ask.</summary>
    public bool NoProjectInScope => _scope is { Count: 0 };

    /// <summary>True when issues of the project with this key are this run's to sync (see <see cref="JiraSyncConfig.InScope"/>).</summary>
    public bool InScope(string projectKey) => config.InScope(projectKey);

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

    /// <summary>A JQL prefix limiting an issue search to this run's projects: the configured ones that are visible, of
    /// this partition ("" when the whole site is wanted); see <see cref="ResolveProjectScopeAsync"/>.</summary>
    public string ProjectClause() => Clause(config.Partition is null ? config.Projects.Count == 0 ? null : _scope ?? config.Projects : _scope ?? []);

    /// <summary>The JQL prefix of the site-wide streams (the worklog feed): the configured projects, whichever partition
    /// syncs their issues ("" when every project is wanted).</summary>
    public string SiteProjectClause() => Clause(config.Projects.Count == 0 ? null : _site ?? config.Projects);

    /// <summary>What the issue searches are limited to, as configured (not as resolved: a project that leaves the user's
    /// sight must not look like a changed setting): the configured projects' clause and the partition; "" for the whole site.</summary>
    public string ScopeId() => Clause(config.Projects.Count == 0 ? null : config.Projects) + (config.Partition is { } p ? $"partition {p}" : "");

    private static string Clause(IReadOnlyList<string>? keys) => keys is null ? ""
        : $"project in ({string.Join(", ", keys.Select(p => "\"" + p.Replace("\"", "") + "\""))}) AND ";
}
