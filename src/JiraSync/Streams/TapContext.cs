using JiraSync.Config;
using JiraSync.Jira.Paging;
using JiraSync.Jira;
using JiraSync.Logging;
using System.Text.Json;

namespace JiraSync.Streams;

/// <summary>What every fetcher of one run shares: the client, the config, the site, the shared reads (each asked once
/// per run, whichever unit asks first; thread-safe), and the output (per unit, see <see cref="ForUnit"/>).</summary>
public sealed class TapContext
{
    private readonly IJiraApi api;
    private readonly JiraSyncConfig config;
    private readonly ILog log;
    private readonly JiraInstanceInfo instance;
    private readonly TapOutput output;
    private readonly Shared _shared;

    /// <summary>The reads and memos every unit of the run shares.</summary>
    private sealed class Shared
    {
        /// <summary>Declared streams' reads by stream name (<see cref="ReadAsync"/>: the first to ask reads, the others await it).</summary>
        public readonly Dictionary<string, Task<StreamRead>> Reads = new(StringComparer.Ordinal);
        /// <summary>(stream, HTTP status) pairs already warned about as skipped partitions (<see cref="FirstSkip"/>).</summary>
        public readonly HashSet<(string, int?)> Skips = [];
        /// <summary>Data Center's search window (10,000 until Jira states less), learnt once for the run.</summary>
        public readonly SearchWindow SearchWindow = new();
        /// <summary>The configured projects that are visible (or as configured when the list may not be read).</summary>
        public IReadOnlyList<string>? Site;
        /// <summary>Of <see cref="Site"/>, this process's partition's projects (all of them when not partitioned).</summary>
        public IReadOnlyList<string>? Scope;
    }

    /// <summary>A run's context.</summary>
    /// <param name="api">The Jira client (its gate bounds every request of every unit).</param>
    /// <param name="config">The run's config.</param>
    /// <param name="log">Where the fetchers log.</param>
    /// <param name="instance">The site, read at the start of the run.</param>
    /// <param name="output">Where records and states go.</param>
    public TapContext(IJiraApi api, JiraSyncConfig config, ILog log, JiraInstanceInfo instance, TapOutput output)
        : this(api, config, log, instance, output, new Shared()) { }

    private TapContext(IJiraApi api, JiraSyncConfig config, ILog log, JiraInstanceInfo instance, TapOutput output, Shared shared)
    {
        this.api = api; this.config = config; this.log = log; this.instance = instance; this.output = output; _shared = shared;
    }

    /// <summary>The same run's context for one unit: the shared reads and memos, the unit's own output view.</summary>
    /// <param name="unitOutput">The unit's view of the output (<see cref="TapOutput.ForUnit"/>).</param>
    public TapContext ForUnit(TapOutput unitOutput) =>
        new(api, config, log, instance, unitOutput, _shared) { Fields = Fields, Tally = Tally };

    /// <summary>The Jira client.</summary>
    public IJiraApi Api => api;
    /// <summary>The run's config.</summary>
    public JiraSyncConfig Config => config;
    /// <summary>Where fetchers log.</summary>
    public ILog Log => log;
    /// <summary>The site: Cloud or Server/DC, its time zone and clock.</summary>
    public JiraInstanceInfo Instance => instance;
    /// <summary>Where this unit's records and states go.</summary>
    public TapOutput Output => output;
    /// <summary>Requests one unit keeps in flight at most (the client's gate bounds the run's total).</summary>
    public int Concurrency => Math.Max(1, config.MaxConcurrency);
    /// <summary>The page size asked of Jira, 1 to 1000.</summary>
    public int PageSize => Math.Clamp(config.PageSize, 1, 1000);

    /// <summary>Data Center's search window, learnt once per run (<see cref="Streams.SearchWindow"/>).</summary>
    internal SearchWindow SearchWindow => _shared.SearchWindow;

    /// <summary>Where the issue sweep records Jira's own counts for the run's reconciliation (null: not wanted, as in `tap`).</summary>
    internal IssueTally? Tally { get; init; }


    /// <summary>The visible projects (limited to config "projects" when set): the projects stream's own read,
    /// shared with its unit and its children (project/search on Cloud, the plain project list on Server/DC,
    /// jira-api-notes.md §6), so the list is asked once per run; a refusal (403/404) is thrown to every caller and
    /// each stream that needs the list skips without asking again. A configured project that is not visible is warned
    /// about once, by the stream's record filter.</summary>
    public async Task<IReadOnlyList<JsonElement>> ProjectsAsync(CancellationToken ct) =>
        (await ReadAsync(StreamRegistry.Get("projects"), ct)).Records.Select(r => r.Item).ToList();

    /// <summary>Fixes the projects the searches name, once per run, before any search: the configured projects that exist
    /// and are visible (Jira answers 400 to a JQL naming an unknown project, and would fail the whole sweep), and of those
    /// the ones of this process's partition (<see cref="ProjectPartition"/>). Throws <see cref="Errors.ConfigException"/>
    /// when none of the configured projects is visible. When the project list itself may not be read, the configured
    /// keys are used as given; a partitioned run then needs them (it cannot split what it cannot list).</summary>
    /// <exception cref="Errors.ConfigException">No configured project is visible, or a partitioned run has neither the
    /// project list nor configured projects.</exception>
    public async Task ResolveProjectScopeAsync(CancellationToken ct)
    {
        if ((config.Projects.Count == 0 && config.Partition is null) || _shared.Site != null) return;
        try
        {
            var visible = (await ProjectsAsync(ct)).Select(p => p.TryGetProperty("key", out var k) ? k.GetString() ?? "" : "").ToList();
            if (visible.Count == 0 && config.Projects.Count > 0)
                throw new Errors.ConfigException($"none of the configured projects ({string.Join(", ", config.Projects)}) exists or is visible to this user; check \"projects\" in the config");
            _shared.Site = visible;
        }
        catch (Exception ex) when (ex is JiraForbiddenException or JiraNotFoundException)
        {
            if (config.Projects.Count == 0)
                throw new Errors.ConfigException($"--partition {config.Partition} splits the site by its project list, which may not be read ({ex.Message}); list the projects in the config's \"projects\" instead");
            log.Warn($"the project list may not be read ({ex.Message}); the issue search names the configured projects as given");
            _shared.Site = config.Projects;
        }
        _shared.Scope = config.Partition is { } partition ? _shared.Site.Where(partition.Owns).ToList() : _shared.Site;
        if (config.Partition is { } part)
            log.Info($"partition {part}: {(_shared.Scope.Count == 0 ? "no project" : string.Join(", ", _shared.Scope))} of the {_shared.Site.Count} project(s) in scope" +
                     (part.OwnsSiteStreams ? "; this partition also writes the site-wide streams" : $"; the site-wide streams are written by partition 1/{part.Count}"));
    }

    /// <summary>True when the run has a project scope and not one project is in it (a partition that owns none of the
    /// visible projects): the issue searches have nothing to ask.</summary>
    public bool NoProjectInScope => _shared.Scope is { Count: 0 };

    /// <summary>True when issues of the project with this key are this run's to sync (see <see cref="JiraSyncConfig.InScope"/>).</summary>
    /// <param name="projectKey">A project key, as Jira spells it.</param>
    public bool InScope(string projectKey) => config.InScope(projectKey);

    /// <summary>Jira's field list read at the start of the run (null when not needed or not readable).</summary>
    internal IReadOnlyList<JiraField>? Fields { get; init; }

    /// <summary>A declared stream's records, read once per run and shared: by its own unit and by every child
    /// stream that needs its records as parents (boards for sprints, projects for versions).</summary>
    internal Task<StreamRead> ReadAsync(StreamDefinition def, CancellationToken ct)
    {
        var reads = _shared.Reads;
        lock (reads)
        {
            // A failed read stays failed for the run (a refused list is asked once, not once per stream that needs it).
            if (!reads.TryGetValue(def.Name, out var read) || read.IsCanceled)
                reads[def.Name] = read = DeclaredStreamFetcher.ReadAllAsync(this, def, ct);
            return read;
        }
    }

    /// <summary>True the first time a stream skips a partition for this status in this run.</summary>
    internal bool FirstSkip(string stream, int? status)
    {
        lock (_shared.Skips) return _shared.Skips.Add((stream, status));
    }

    /// <summary>A JQL prefix limiting an issue search to this run's projects: the configured ones that are visible, of
    /// this partition ("" when the whole site is wanted); see <see cref="ResolveProjectScopeAsync"/>.</summary>
    public string ProjectClause() => Clause(config.Partition is null ? config.Projects.Count == 0 ? null : _shared.Scope ?? config.Projects : _shared.Scope ?? []);

    /// <summary>The JQL prefix of the site-wide streams (the worklog feed): the configured projects, whichever partition
    /// syncs their issues ("" when every project is wanted).</summary>
    public string SiteProjectClause() => Clause(config.Projects.Count == 0 ? null : _shared.Site ?? config.Projects);

    /// <summary>What the issue searches are limited to, as configured (not as resolved: a project that leaves the user's
    /// sight must not look like a changed setting): the configured projects' clause and the partition; "" for the whole site.</summary>
    public string ScopeId() => Clause(config.Projects.Count == 0 ? null : config.Projects) + (config.Partition is { } p ? $"partition {p}" : "");

    private static string Clause(IReadOnlyList<string>? keys) => keys is null ? ""
        : $"project in ({string.Join(", ", keys.Select(p => "\"" + p.Replace("\"", "") + "\""))}) AND ";
}
