using JiraSync.Config;
using JiraSync.Jira;
using JiraSync.Jira.Paging;
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

    private readonly Dictionary<string, Task<StreamRead>> _reads = new(StringComparer.Ordinal);

    /// <summary>Jira's field list read at the start of the run (null when not needed or not readable).</summary>
    public IReadOnlyList<JiraField>? Fields { get; init; }

    /// <summary>A declared stream's records, read once per run and shared: by its own unit and by every child
    /// stream that needs its records as parents (boards for sprints, projects for versions).</summary>
    public Task<StreamRead> ReadAsync(StreamDefinition def, CancellationToken ct)
    {
        lock (_reads)
        {
            if (!_reads.TryGetValue(def.Name, out var read) || read.IsFaulted || read.IsCanceled)
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

    /// <summary>A JQL prefix limiting a search to the configured projects ("" when all are wanted).</summary>
    public string ProjectClause() => config.Projects.Count == 0 ? ""
        : $"project in ({string.Join(", ", config.Projects.Select(p => "\"" + p.Replace("\"", "") + "\""))}) AND ";
}
