using JiraSync.Simulator.Model;

namespace JiraSync.Simulator.Control;

/// <summary>Expected keys and mutations of the site metadata, agile and issue-relation streams.</summary>
public sealed partial class SimulatorControl
{
    /// <summary>What a complete extraction of each issue-8 stream yields now, by the rules in docs/simulator.md:
    /// a stream whose endpoint the deployment lacks (labels, custom_field_options on Server/DC) expects nothing;
    /// boards include the private one (listed with includePrivate=true); sprints are those listed under some board the
    /// user may open; group_members include inactive users (includeInactiveUsers=true); users are accountIds on Cloud
    /// and keys on Server/DC, groups ids on Cloud and names on Server/DC.</summary>
    private Dictionary<string, IReadOnlySet<string>> ExtendedKeys() => _store.Read(s =>
    {
        var cloud = s.Options.Deployment == Deployment.Cloud;
        string UserKey(SimUser u) => cloud ? u.AccountId : u.Key;
        var issues = s.Issues.Where(s.IsVisible).ToList();
        var boards = s.Boards.Where(b => !b.Project.Hidden).ToList();
        var openBoards = boards.Where(b => b.SupportsSprints && !b.Private).ToList();
        var sprints = s.Sprints.Where(sp => !sp.Deleted && openBoards.Any(b => sp.IsOn(b.Id))).ToList();
        var groups = Enumerable.Range(0, ReferenceData.Groups.Length).ToList();
        string GroupKey(int g) => cloud ? ReferenceData.GroupIds[g] : ReferenceData.Groups[g];
        return new Dictionary<string, IReadOnlySet<string>>
        {
            ["statuses"] = Set(ReferenceData.Statuses.Select(x => x.Id)),
            ["status_categories"] = Set(ReferenceData.StatusCategories.Select(c => c.Id.ToString())),
            ["priorities"] = Set(ReferenceData.Priorities.Select(p => p.Id)),
            ["issue_types"] = Set(ReferenceData.IssueTypes.Select(t => t.Id)),
            ["fields"] = Set(SystemFields.All.Select(f => f.Id).Concat(s.CustomFields.Select(f => f.Id))),
            ["custom_field_options"] = Set(cloud ? s.CustomFields.SelectMany(f => f.Options()).Select(o => o.Id.ToString()) : []),
            ["issue_link_types"] = Set(ReferenceData.IssueLinkTypes.Select(t => t.Id)),
            ["labels"] = Set(cloud ? ReferenceData.Labels : []),
            ["filters"] = Set(s.Filters.Where(f => cloud ? s.CanSee(f) : f.OwnerIndex == 0 || (f.Favourite && s.CanSee(f))).Select(f => f.Id.ToString())),
            ["groups"] = Set(groups.Select(GroupKey)),
            ["group_members"] = Set(groups.SelectMany(g => s.Users.Where(u => ReferenceData.InGroup(ReferenceData.Groups[g], u)).Select(u => $"{GroupKey(g)}|{UserKey(u)}"))),
            ["boards"] = Set(boards.Select(b => b.Id.ToString())),
            ["sprints"] = Set(sprints.Select(sp => sp.Id.ToString())),
            ["sprint_issues"] = Set(issues.SelectMany(i => i.SprintIds.Where(id => s.FindSprint(id) is { Deleted: false }).Select(id => $"{id}|{i.Id}"))),
            ["issue_links"] = Set(issues.SelectMany(s.LinksOf).Select(l => l.Id.ToString())),
            ["attachments"] = Set(issues.SelectMany(i => i.Attachments).Select(a => a.Id.ToString())),
            ["issue_watchers"] = Set(issues.SelectMany(i => i.Watchers.Select(u => $"{i.Id}|{UserKey(s.UserAt(u))}"))),
            ["issue_remote_links"] = Set(issues.SelectMany(i => i.RemoteLinks).Select(l => l.Id.ToString())),
        };
    });

    /// <summary>Links two issues ("<paramref name="fromIdOrKey"/> blocks <paramref name="toIdOrKey"/>" for type Blocks)
    /// and returns the link id. Both issues get a `Link` changelog item and `updated` = now, as Jira records a link on
    /// both sides (fieldId `issuelinks` Assumed).</summary>
    public string AddLink(string fromIdOrKey, string toIdOrKey, string typeName = "Blocks") => _store.Write(s =>
    {
        var from = Issue(s, fromIdOrKey);
        var to = Issue(s, toIdOrKey);
        var type = Array.FindIndex(ReferenceData.IssueLinkTypes, t => t.Name.Equals(typeName, StringComparison.OrdinalIgnoreCase) || t.Id == typeName);
        if (type < 0) throw new ArgumentException($"unknown link type '{typeName}' ({string.Join(", ", ReferenceData.IssueLinkTypes.Select(t => t.Name))})");
        if (from == to) throw new ArgumentException("an issue cannot be linked to itself");
        var link = new SimLink(s.NextLinkId++, type, from.Id, to.Id);
        s.AddLink(link);
        LinkHistory(s, link, removed: false);
        return link.Id.ToString();
    });

    /// <summary>Removes a link; both issues get a `Link` item (from side set) and `updated` = now.</summary>
    public void RemoveLink(string linkId) => _store.Write(s =>
    {
        var link = long.TryParse(linkId, out var id) && s.Links.TryGetValue(id, out var l) ? l : throw new KeyNotFoundException($"Issue link '{linkId}' does not exist.");
        s.RemoveLink(link);
        LinkHistory(s, link, removed: true);
        return 0;
    });

    private static void LinkHistory(SimulatorStore s, SimLink link, bool removed)
    {
        var type = ReferenceData.IssueLinkTypes[link.TypeIndex];
        var source = s.IssuesById[link.InwardIssueId];
        var target = s.IssuesById[link.OutwardIssueId];
        foreach (var (issue, other, phrase) in new[] { (source, target, type.Outward), (target, source, type.Inward) })
        {
            var text = $"This issue {phrase} {other.Key}";
            var item = removed ? new SimChangeItem("Link", "jira", "issuelinks", other.Key, text, null, null)
                               : new SimChangeItem("Link", "jira", "issuelinks", null, null, other.Key, text);
            Record(s, issue, item);
        }
    }

    /// <summary>Puts an issue into <paramref name="sprintId"/>: closed sprints stay in the Sprint field, an active or
    /// future one is replaced (Jira Software field input formats). Adds a `Sprint` changelog item with the full id
    /// lists before and after ("1, 2" → "1, 3") and the names in the strings (analytics-notes §3 item 5).</summary>
    public void MoveIssueToSprint(string issueIdOrKey, long sprintId) => _store.Write(s =>
    {
        var issue = Issue(s, issueIdOrKey);
        var target = Sprint(s, sprintId);
        var ids = issue.SprintIds.Where(id => s.FindSprint(id) is { State: "closed" }).Append(target.Id).Distinct().Order().ToList();
        SetSprints(s, issue, ids);
        return 0;
    });

    /// <summary>Sets an issue's Sprint field to exactly these sprints (several ids allowed) with one changelog item.</summary>
    public void SetIssueSprints(string issueIdOrKey, params long[] sprintIds) => _store.Write(s =>
    {
        var issue = Issue(s, issueIdOrKey);
        foreach (var id in sprintIds) Sprint(s, id);
        SetSprints(s, issue, [.. sprintIds.Distinct().Order()]);
        return 0;
    });

    private static void SetSprints(SimulatorStore s, SimIssue issue, List<long> ids)
    {
        var field = s.SprintField ?? throw new InvalidOperationException("the simulator has no Sprint field");
        string Ids(IEnumerable<long> x) => string.Join(", ", x);
        string Names(IEnumerable<long> x) => string.Join(", ", x.Select(id => s.FindSprint(id)!.Name));
        var before = issue.SprintIds.ToList();
        issue.SprintIds.Clear();
        issue.SprintIds.AddRange(ids);
        Record(s, issue, new SimChangeItem(field.Name, "custom", field.Id,
            before.Count == 0 ? null : Ids(before), before.Count == 0 ? null : Names(before),
            ids.Count == 0 ? null : Ids(ids), ids.Count == 0 ? null : Names(ids)));
    }

    /// <summary>Adds a board to a project and returns its id; a scrum or simple board gets one future sprint.</summary>
    public string AddBoard(string projectKey, string type = "scrum", string? name = null) => _store.Write(s =>
    {
        var project = s.FindProject(projectKey) ?? throw new KeyNotFoundException($"No project could be found with key '{projectKey}'.");
        if (type is not ("scrum" or "kanban" or "simple")) throw new ArgumentException($"unknown board type '{type}' (scrum, kanban, simple)");
        var board = new SimBoard(s.NextBoardId++, name ?? $"{project.Key} {type} board {s.NextBoardId - 1}", type, project);
        s.Boards.Add(board);
        if (board.SupportsSprints)
            s.Sprints.Add(new SimSprint(s.NextSprintId++, board.Id, $"{board.Name} Sprint 1", "future", null, null, null, ""));
        return board.Id.ToString();
    });

    /// <summary>Deletes a sprint: it leaves every board's list and GET sprint/{id} answers 404. Issues in it leave it
    /// too, each with a Sprint changelog item and `updated` = now (Jira moves them to the backlog; the journaling is Assumed).</summary>
    public void DeleteSprint(long sprintId) => _store.Write(s =>
    {
        var sprint = Sprint(s, sprintId);
        sprint.Deleted = true;
        foreach (var issue in s.Issues.Where(i => !i.Deleted && i.SprintIds.Contains(sprintId)).ToList())
            SetSprints(s, issue, [.. issue.SprintIds.Where(id => id != sprintId)]);
        return 0;
    });

    /// <summary>Attaches a file (metadata only) and returns its id; an `Attachment` item and `updated` = now follow.</summary>
    public string AddAttachment(string issueIdOrKey, string filename = "notes.txt", string mimeType = "text/plain", long size = 1234) => _store.Write(s =>
    {
        var issue = Issue(s, issueIdOrKey);
        var a = new SimAttachment(s.NextAttachmentId++, issue.Id, filename, size, mimeType, s.NowMs, 0);
        issue.Attachments.Add(a);
        Record(s, issue, new SimChangeItem("Attachment", "jira", "attachment", null, null, a.Id.ToString(), a.Filename));
        return a.Id.ToString();
    });

    /// <summary>Appends one history of the caller (user 0) at the clock's now and sets `updated` to now.</summary>
    private static SimHistory Record(SimulatorStore s, SimIssue issue, params SimChangeItem[] items)
    {
        var h = new SimHistory { Id = s.NextHistoryId++, IssueId = issue.Id, AuthorIndex = 0, CreatedMs = s.NowMs, Seed = 0, Items = items };
        issue.Histories.Add(h);
        issue.UpdatedMs = s.NowMs;
        return h;
    }

    private static SimSprint Sprint(SimulatorStore s, long id) =>
        s.FindSprint(id) is { Deleted: false } sprint ? sprint : throw new KeyNotFoundException($"Sprint '{id}' does not exist.");
}
