using JiraSync.Simulator.Model;
using JiraSync.Simulator.Rendering;

namespace JiraSync.Simulator.Control;

/// <summary>The test-facing control surface: change data between runs, move the clock, inject faults,
/// and know the complete set of keys a correct extraction must produce. Every method is thread-safe.
/// The same operations are served over HTTP under /__sim/ (see ControlEndpoints).
/// Changes stamp the simulator clock's current time; the clock only moves through AdvanceClock.</summary>
public sealed partial class SimulatorControl
{
    private readonly SimulatorStore _store;

    internal SimulatorControl(SimulatorStore store)
    {
        _store = store;
    }

    public FaultInjector Faults { get; } = new();
    public RequestLog Requests { get; } = new();
    /// <summary>API requests served since start (or since Requests.Clear()).</summary>
    public long RequestCount => Requests.Count;
    /// <summary>Delay added to each API response; may be changed while running.</summary>
    public int LatencyMs { get; set; }
    /// <summary>Further delay per KiB of the uncompressed response body (milliseconds; 0 = none), so large
    /// pages take longer as on a real site; may be changed while running.</summary>
    public double LatencyPerKiBMs { get; set; }

    public DateTimeOffset Now => DateTimeOffset.FromUnixTimeMilliseconds(_store.Read(s => s.NowMs));

    public DateTimeOffset AdvanceClock(TimeSpan by) =>
        DateTimeOffset.FromUnixTimeMilliseconds(_store.Write(s => s.NowMs += (long)by.TotalMilliseconds));

    /// <summary>Read the raw model under the read lock (for assertions; do not mutate it).</summary>
    public T Read<T>(Func<SimulatorStore, T> query) => _store.Read(query);

    /// <summary>Bumps `updated`, moves the issue to the next status and records that as a changelog history.</summary>
    public void UpdateIssue(string idOrKey) => _store.Write(s =>
    {
        var issue = Issue(s, idOrKey);
        var from = issue.StatusIndex;
        var to = (from + 1) % ReferenceData.Statuses.Length;
        issue.StatusIndex = to;
        issue.Revision++;
        var done = ReferenceData.Statuses[to].Category.Key == "done";
        issue.ResolutionIndex = done ? 0 : -1;
        issue.ResolutionMs = done ? s.NowMs : null;
        issue.Histories.Add(new SimHistory { Id = s.NextHistoryId++, IssueId = issue.Id, AuthorIndex = 0, CreatedMs = s.NowMs, Seed = issue.Revision, FromStatus = from, ToStatus = to });
        issue.UpdatedMs = s.NowMs;
        return 0;
    });

    /// <summary>Creates an issue (with one history, created and updated now) and returns its id.</summary>
    public string AddIssue(string projectKey) => _store.Write(s =>
    {
        var project = s.Projects.FirstOrDefault(p => p.Key.Equals(projectKey, StringComparison.OrdinalIgnoreCase))
                      ?? throw new KeyNotFoundException($"No project could be found with key '{projectKey}'.");
        var rng = new Random(TextGenerator.Mix(s.Options.Seed, s.NextIssueId));
        var issue = DataGenerator.CreateIssue(s, project, rng, s.NowMs, s.NowMs, heavy: false);
        foreach (var w in issue.Worklogs) w.UpdatedMs = s.NowMs;
        foreach (var c in issue.Comments) c.UpdatedMs = s.NowMs;
        return issue.Id.ToString();
    });

    /// <summary>Deletes an issue; its worklogs count as deleted too (they appear in worklog/deleted).</summary>
    public void DeleteIssue(string idOrKey) => _store.Write(s =>
    {
        var issue = Issue(s, idOrKey);
        issue.Deleted = true;
        s.DeletedIssues.Add((issue.Id, s.NowMs));
        foreach (var w in issue.Worklogs.Where(w => !w.Deleted)) { w.Deleted = true; w.DeletedMs = s.NowMs; }
        return 0;
    });

    /// <summary>Takes (or gives back) the user's Browse permission on a project: it then behaves like the hidden project.</summary>
    public void SetBrowsePermission(string projectKey, bool granted) => _store.Write(s => { Project(s, projectKey).NoBrowse = !granted; return 0; });

    /// <summary>Sets a project's status: live, archived, or deleted (moved to the recycle bin). Either way it leaves search
    /// and the default project list; project/search lists it only when its status is asked for.</summary>
    public void SetProjectStatus(string projectKey, string status) => _store.Write(s =>
    {
        if (status is not (ProjectStatus.Live or ProjectStatus.Archived or ProjectStatus.Deleted))
            throw new ArgumentException($"status must be live, archived or deleted, not '{status}'");
        var p = Project(s, projectKey);
        p.Status = status;
        p.StatusChangedMs = s.NowMs;
        return 0;
    });

    /// <summary>How far search lags behind writes: issues changed within this span of the clock are not found by any search
    /// or count yet (see <see cref="SimulatorStore.IsIndexed"/>). Zero turns it off.</summary>
    public TimeSpan SearchLag
    {
        get => TimeSpan.FromMilliseconds(_store.Read(s => s.SearchLagMs));
        set => _store.Write(s => s.SearchLagMs = (long)value.TotalMilliseconds);
    }

    private static SimProject Project(SimulatorStore s, string key) =>
        s.Projects.FirstOrDefault(p => p.Key.Equals(key, StringComparison.OrdinalIgnoreCase))
        ?? throw new KeyNotFoundException($"No project could be found with key '{key}'.");

    public string AddComment(string issueIdOrKey) => _store.Write(s =>
    {
        var issue = Issue(s, issueIdOrKey);
        var c = new SimComment
        {
            Id = s.NextCommentId++, IssueId = issue.Id, AuthorIndex = 0, UpdateAuthorIndex = 0,
            CreatedMs = s.NowMs, UpdatedMs = s.NowMs, TextSeed = TextGenerator.Mix(s.Options.Seed, s.NextCommentId),
        };
        issue.Comments.Add(c);
        s.CommentsById[c.Id] = c;
        issue.UpdatedMs = s.NowMs;   // commenting updates the issue
        return c.Id.ToString();
    });

    public void UpdateComment(string commentId) => _store.Write(s =>
    {
        var c = Comment(s, commentId);
        c.UpdatedMs = s.NowMs;
        c.UpdateAuthorIndex = 0;
        c.TextSeed = TextGenerator.Mix(c.TextSeed, s.NowMs);
        s.IssuesById[c.IssueId].UpdatedMs = s.NowMs;
        return 0;
    });

    public void DeleteComment(string commentId) => _store.Write(s =>
    {
        var c = Comment(s, commentId);
        c.Deleted = true;
        s.IssuesById[c.IssueId].UpdatedMs = s.NowMs;
        return 0;
    });

    public string AddWorklog(string issueIdOrKey) => _store.Write(s =>
    {
        var issue = Issue(s, issueIdOrKey);
        var w = new SimWorklog
        {
            Id = s.NextWorklogId++, IssueId = issue.Id, AuthorIndex = 0, UpdateAuthorIndex = 0,
            CreatedMs = s.NowMs, UpdatedMs = s.NowMs, StartedMs = s.NowMs - 3_600_000, TimeSpentSeconds = 3600,
            TextSeed = TextGenerator.Mix(s.Options.Seed, s.NextWorklogId),
        };
        issue.Worklogs.Add(w);
        s.WorklogsById[w.Id] = w;
        issue.UpdatedMs = s.NowMs;
        return w.Id.ToString();
    });

    public void UpdateWorklog(string worklogId) => _store.Write(s =>
    {
        var w = Worklog(s, worklogId);
        w.UpdatedMs = s.NowMs;
        w.TimeSpentSeconds += 900;
        w.UpdateAuthorIndex = 0;
        s.IssuesById[w.IssueId].UpdatedMs = s.NowMs;
        return 0;
    });

    public void DeleteWorklog(string worklogId) => _store.Write(s =>
    {
        var w = Worklog(s, worklogId);
        w.Deleted = true;
        w.DeletedMs = s.NowMs;
        s.IssuesById[w.IssueId].UpdatedMs = s.NowMs;
        return 0;
    });

    /// <summary>Adds a custom field (it shows in `field` and on every issue) and returns its id, e.g. customfield_10019.</summary>
    public string AddCustomField(string name, string type) => AddCustomField(name, SimField.ParseType(type));

    public string AddCustomField(string name, CustomFieldType type) =>
        _store.Write(s => DataGenerator.AddCustomField(s, name, type).Id);

    /// <summary>Stream name → every primary key a complete extraction of singer-io tap-jira's thirteen streams yields now.
    /// Composite keys are joined with "|" in key order (issue_transitions: "transitionId|issueId").
    /// <see cref="ExpectedKeys(ExpectedStreams)"/> with <see cref="ExpectedStreams.All"/> adds the issue-8 streams.</summary>
    public IReadOnlyDictionary<string, IReadOnlySet<string>> ExpectedKeys() => ExpectedKeys(ExpectedStreams.TapJira);

    /// <summary>Expected keys of the tap-jira streams, or of every stream the simulator serves.</summary>
    public IReadOnlyDictionary<string, IReadOnlySet<string>> ExpectedKeys(ExpectedStreams streams)
    {
        var keys = TapJiraKeys();
        if (streams == ExpectedStreams.All)
            foreach (var (name, set) in ExtendedKeys()) keys[name] = set;
        return keys;
    }

    private Dictionary<string, IReadOnlySet<string>> TapJiraKeys() => _store.Read(s =>
    {
        var cloud = s.Options.Deployment == Deployment.Cloud;
        var issues = s.Issues.Where(s.IsVisible).ToList();
        var projects = s.VisibleProjects.ToList();
        return new Dictionary<string, IReadOnlySet<string>>
        {
            ["projects"] = Set(projects.Select(p => p.Id.ToString())),
            ["versions"] = Set(projects.SelectMany(p => p.Versions).Select(v => v.Id.ToString())),
            ["components"] = Set(projects.SelectMany(p => p.Components).Select(c => c.Id.ToString())),
            ["project_types"] = Set(ReferenceData.ProjectTypes.Select(t => t.Key)),
            ["project_categories"] = Set(ReferenceData.ProjectCategories.Select(c => c.Id.ToString())),
            ["resolutions"] = Set(ReferenceData.Resolutions.Select(r => r.Id)),
            ["roles"] = Set(ReferenceData.Roles.Select(r => r.Id.ToString())),
            ["users"] = Set(s.Users.Select(u => cloud ? u.AccountId : u.Key)),
            ["issues"] = Set(issues.Select(i => i.Id.ToString())),
            ["issue_comments"] = Set(issues.SelectMany(i => i.Comments).Where(c => !c.Deleted).Select(c => c.Id.ToString())),
            ["changelogs"] = Set(issues.SelectMany(i => i.Histories).Select(h => h.Id.ToString())),
            ["issue_transitions"] = Set(issues.SelectMany(i => Renderer.TransitionsOf(i).Select(t => $"{t.Id}|{i.Id}"))),
            ["worklogs"] = Set(issues.SelectMany(i => i.Worklogs).Where(w => !w.Deleted).Select(w => w.Id.ToString())),
        };
    });

    /// <summary>Keys deleted through this control surface: "issues", "worklogs" and "issue_comments".</summary>
    public IReadOnlyDictionary<string, IReadOnlySet<string>> ExpectedDeletedKeys() => _store.Read(s =>
        new Dictionary<string, IReadOnlySet<string>>
        {
            ["issues"] = Set(s.DeletedIssues.Select(d => d.Id.ToString())),
            ["worklogs"] = Set(s.WorklogsById.Values.Where(w => w.Deleted).Select(w => w.Id.ToString())),
            ["issue_comments"] = Set(s.CommentsById.Values.Where(c => c.Deleted).Select(c => c.Id.ToString())),
        });

    private static IReadOnlySet<string> Set(IEnumerable<string> values) => new HashSet<string>(values, StringComparer.Ordinal);

    private static SimIssue Issue(SimulatorStore s, string idOrKey) =>
        s.FindIssue(idOrKey) is { Deleted: false } i ? i : throw new KeyNotFoundException($"Issue '{idOrKey}' does not exist.");

    private static SimComment Comment(SimulatorStore s, string id) =>
        long.TryParse(id, out var n) && s.CommentsById.TryGetValue(n, out var c) && !c.Deleted ? c
            : throw new KeyNotFoundException($"Comment '{id}' does not exist.");

    private static SimWorklog Worklog(SimulatorStore s, string id) =>
        long.TryParse(id, out var n) && s.WorklogsById.TryGetValue(n, out var w) && !w.Deleted ? w
            : throw new KeyNotFoundException($"Worklog '{id}' does not exist.");
}
