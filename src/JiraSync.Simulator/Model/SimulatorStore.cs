namespace JiraSync.Simulator.Model;

/// <summary>The whole simulated Jira instance. Every read and write goes through <see cref="Read{T}"/>
/// or <see cref="Write{T}"/> so tests may change data while requests are in flight.</summary>
public sealed class SimulatorStore
{
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.SupportsRecursion);
    private SimWorklog[]? _worklogsByUpdated;
    private readonly Dictionary<long, List<SimLink>> _linksByIssue = [];

    public SimulatorStore(SimulatorOptions options)
    {
        Options = options;
        Time = new JiraTime(options.TimeZone);
        NowMs = options.ClockStart.ToUnixTimeMilliseconds();
    }

    public SimulatorOptions Options { get; }
    public JiraTime Time { get; }
    public long NowMs { get; set; }
    /// <summary>Changes on every write; caches of query results compare it.</summary>
    public long DataVersion { get; private set; }

    public List<SimUser> Users { get; } = [];
    public List<SimProject> Projects { get; } = [];
    /// <summary>All issues ever created, in id order (deleted ones stay, flagged).</summary>
    public List<SimIssue> Issues { get; } = [];
    public Dictionary<long, SimIssue> IssuesById { get; } = [];
    public Dictionary<string, SimIssue> IssuesByKey { get; } = new(StringComparer.OrdinalIgnoreCase);
    public Dictionary<long, SimComment> CommentsById { get; } = [];
    public Dictionary<long, SimWorklog> WorklogsById { get; } = [];
    public List<SimField> CustomFields { get; } = [];
    public List<SimBoard> Boards { get; } = [];
    public List<SimSprint> Sprints { get; } = [];
    public List<(long Id, long DeletedMs)> DeletedIssues { get; } = [];
    /// <summary>Issue links by id; each issue's links are found through <see cref="LinksOf"/>.</summary>
    public Dictionary<long, SimLink> Links { get; } = [];
    public List<SimFilter> Filters { get; } = [];
    /// <summary>The Sprint custom field (com.pyxis.greenhopper.jira:gh-sprint), set by the generator.</summary>
    public SimField? SprintField { get; set; }

    public long NextIssueId { get; set; } = 10000;
    public long NextCommentId { get; set; } = 10000;
    public long NextWorklogId { get; set; } = 10000;
    public long NextHistoryId { get; set; } = 10000;
    public long NextFieldId { get; set; } = 10010;
    public long NextLinkId { get; set; } = 10000;
    public long NextAttachmentId { get; set; } = 10000;
    public long NextRemoteLinkId { get; set; } = 10000;
    public long NextBoardId { get; set; } = 1;
    public long NextSprintId { get; set; } = 1;

    /// <summary>The authenticated user (index 0).</summary>
    public SimUser Me => Users[0];

    public T Read<T>(Func<SimulatorStore, T> read)
    {
        _lock.EnterReadLock();
        try { return read(this); }
        finally { _lock.ExitReadLock(); }
    }

    public T Write<T>(Func<SimulatorStore, T> write)
    {
        _lock.EnterWriteLock();
        try
        {
            var result = write(this);
            DataVersion++;
            _worklogsByUpdated = null;
            return result;
        }
        finally { _lock.ExitWriteLock(); }
    }

    public bool IsVisible(SimIssue issue) => !issue.Deleted && !issue.Project.Hidden;

    /// <summary>How far issue search lags behind writes (0 = none). Jira Cloud's search is eventually consistent
    /// ("Recent updates might not be immediately visible", OpenAPI `searchAndReconsileIssuesUsingJql`).</summary>
    public long SearchLagMs { get; set; }

    /// <summary>Whether search has caught up with the issue's last change. Assumed: Jira may still show the old version
    /// of a changed issue; the simulator leaves it out of search and counts altogether, the stricter case for a client.</summary>
    public bool IsIndexed(SimIssue issue) => SearchLagMs <= 0 || issue.UpdatedMs <= NowMs - SearchLagMs;

    public SimIssue? FindIssue(string idOrKey)
    {
        if (long.TryParse(idOrKey, out var id)) return IssuesById.GetValueOrDefault(id);
        return IssuesByKey.GetValueOrDefault(idOrKey);
    }

    /// <summary>An issue the user may see, or null (Jira answers 404 for both missing and forbidden).</summary>
    public SimIssue? FindVisibleIssue(string idOrKey) => FindIssue(idOrKey) is { } i && IsVisible(i) ? i : null;

    public SimProject? FindProject(string idOrKey, bool includeHidden = false)
    {
        var p = Projects.FirstOrDefault(p => p.Key == idOrKey || p.Id.ToString() == idOrKey);
        return p is null || (p.Hidden && !includeHidden) ? null : p;
    }

    public IEnumerable<SimProject> VisibleProjects => Projects.Where(p => !p.Hidden);

    public SimUser UserAt(int index) => Users[index];

    /// <summary>Links of an issue whose other side the user may see too, in link id order (Jira leaves out
    /// links to issues the user cannot browse; Assumed for the order).</summary>
    public IEnumerable<SimLink> LinksOf(SimIssue issue) =>
        _linksByIssue.TryGetValue(issue.Id, out var links)
            ? links.Where(l => IsVisible(IssuesById[l.InwardIssueId]) && IsVisible(IssuesById[l.OutwardIssueId]))
            : [];

    public void AddLink(SimLink link)
    {
        Links[link.Id] = link;
        foreach (var id in new[] { link.InwardIssueId, link.OutwardIssueId })
        {
            if (!_linksByIssue.TryGetValue(id, out var list)) _linksByIssue[id] = list = [];
            list.Add(link);
        }
    }

    public void RemoveLink(SimLink link)
    {
        Links.Remove(link.Id);
        foreach (var id in new[] { link.InwardIssueId, link.OutwardIssueId })
            if (_linksByIssue.TryGetValue(id, out var list)) list.Remove(link);
    }

    public SimSprint? FindSprint(long id) => Sprints.FirstOrDefault(s => s.Id == id);

    /// <summary>The user (index 0, in every group) may see a filter they own or one shared with everybody, with
    /// logged-in users, with a project they can browse or with one of their groups (OpenAPI getFiltersPaginated).</summary>
    public bool CanSee(SimFilter f) => f.OwnerIndex == 0 || f.Share switch
    {
        "global" or "authenticated" => true,
        "project" => FindProject(f.ShareTarget ?? "") is not null,
        "group" => true,
        _ => false,
    };

    /// <summary>Live worklogs of visible issues sorted by (updated, id): the worklog/updated feed order.
    /// Rebuilt lazily after a write; callers hold the read lock.</summary>
    public SimWorklog[] WorklogsByUpdated()
    {
        var cached = _worklogsByUpdated;
        if (cached is not null) return cached;
        var list = WorklogsById.Values.Where(w => !w.Deleted && IsVisible(IssuesById[w.IssueId])).ToArray();
        Array.Sort(list, (a, b) => a.UpdatedMs != b.UpdatedMs ? a.UpdatedMs.CompareTo(b.UpdatedMs) : a.Id.CompareTo(b.Id));
        _worklogsByUpdated = list;
        return list;
    }

    /// <summary>Deleted worklogs sorted by deletion time: the worklog/deleted feed.</summary>
    public SimWorklog[] DeletedWorklogs() =>
        WorklogsById.Values.Where(w => w.Deleted).OrderBy(w => w.DeletedMs).ThenBy(w => w.Id).ToArray();

    public void Touch() => DataVersion++;
}
