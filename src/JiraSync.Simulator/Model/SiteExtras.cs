namespace JiraSync.Simulator.Model;

/// <summary>The data added for Jira's site metadata, agile and issue-relation endpoints: more boards, a shared and
/// a deleted sprint, sprint membership, issue links, attachments, watchers, remote links and filters. It draws from
/// its own random stream, so everything <see cref="DataGenerator"/> made before keeps its exact values.</summary>
public static class SiteExtras
{
    private const long Day = 86_400_000L;

    private static readonly (string Name, string Mime)[] Files =
    [
        ("screenshot.png", "image/png"), ("server-2026-10.log", "text/plain"), ("Spécification finale.pdf", "application/pdf"),
        ("export (1).csv", "text/csv"), ("trace 東京.json", "application/json"), ("design.sketch", "application/octet-stream"),
    ];

    /// <summary>Runs after the issues and the first boards and sprints exist.</summary>
    public static void Fill(SimulatorStore store)
    {
        var rng = new Random(TextGenerator.Mix(store.Options.Seed, 8_008));
        var visible = store.VisibleProjects.ToList();
        AddBoards(store, visible);
        AssignSprints(store, new Random(TextGenerator.Mix(store.Options.Seed, 8_009)));
        AddLinks(store, rng);
        foreach (var issue in store.Issues.Where(i => !i.Project.Hidden)) AddAttachmentsAndRemoteLinks(store, issue, rng);
        AddFilters(store);
    }

    /// <summary>Per default project: OPS gets a second scrum board that shows OPS's active sprint too (one sprint,
    /// two boards) plus its own future sprint; WEB gets a team-managed (`simple`) board with two sprints; ENG gets a
    /// private board and a deleted future sprint.</summary>
    private static void AddBoards(SimulatorStore store, List<SimProject> visible)
    {
        var now = store.NowMs;
        if (visible.Count > 1)
        {
            var ops = visible[1];
            var team = new SimBoard(store.NextBoardId++, $"{ops.Key} team board", "scrum", ops);
            store.Boards.Add(team);
            var shared = store.Sprints.First(s => s.State == "active" && store.Boards.First(b => b.Id == s.BoardId).Project == ops);
            shared.AlsoOnBoards.Add(team.Id);
            store.Sprints.Add(new SimSprint(store.NextSprintId++, team.Id, $"{ops.Key} team Sprint 1", "future", null, null, null, "Runbooks für alle"));
        }
        if (visible.Count > 2)
        {
            var web = visible[2];
            var simple = new SimBoard(store.NextBoardId++, $"{web.Key} team-managed board", "simple", web);
            store.Boards.Add(simple);
            var start = now - 20 * Day;
            store.Sprints.Add(new SimSprint(store.NextSprintId++, simple.Id, $"{web.Key} TM Sprint 1", "closed", start, start + 10 * Day, start + 10 * Day + 60_000, ""));
            store.Sprints.Add(new SimSprint(store.NextSprintId++, simple.Id, $"{web.Key} TM Sprint 2", "active", start + 10 * Day, start + 20 * Day, null, "Dark mode 🌙"));
        }
        if (visible.Count > 0)
        {
            var eng = visible[0];
            store.Boards.Add(new SimBoard(store.NextBoardId++, $"{eng.Key} leadership board", "scrum", eng) { Private = true });
            var origin = store.Boards.First(b => b.Project == eng && b.Type == "scrum");
            store.Sprints.Add(new SimSprint(store.NextSprintId++, origin.Id, $"{eng.Key} Sprint cancelled", "future", null, null, null, "") { Deleted = true });
        }
    }

    /// <summary>The Sprint field: closed sprints plus at most one active or future one (Jira Software field input
    /// formats, jira-api-notes §14.3). Sprints that had ended before the issue was created are skipped.</summary>
    private static void AssignSprints(SimulatorStore store, Random rng)
    {
        // Per project, the sprint lists of its open boards that have sprints: (closed, active or future, future).
        var tracks = store.Projects.ToDictionary(p => p, p => store.Boards
            .Where(b => b.Project == p && b.SupportsSprints && !b.Private)
            .Select(b => store.Sprints.Where(s => s.BoardId == b.Id && !s.Deleted).ToList())
            .Where(t => t.Count > 0)
            .Select(t => (Closed: t.FirstOrDefault(s => s.State == "closed"),
                          Open: t.FirstOrDefault(s => s.State == "active") ?? t.FirstOrDefault(s => s.State == "future"),
                          Future: t.FirstOrDefault(s => s.State == "future")))
            .ToArray());
        foreach (var issue in store.Issues)
        {
            var options = tracks[issue.Project];
            if (options.Length == 0) continue;
            var (closed, open, future) = options[rng.Next(options.Length)];
            var pick = rng.Next(6);
            if (pick is 1 or 2) Join(issue, closed);
            if (pick is 2 or 3) Join(issue, open);   // 2: rolled over, keeps the closed sprint
            if (pick is 4) Join(issue, future);
        }

        static void Join(SimIssue issue, SimSprint? s)
        {
            if (s is null || (s.EndMs is { } end && issue.CreatedMs >= end) || issue.SprintIds.Contains(s.Id)) return;
            issue.SprintIds.Add(s.Id);
            issue.SprintIds.Sort();
        }
    }

    /// <summary>About one link per five visible issues, of every link type, also across projects.</summary>
    private static void AddLinks(SimulatorStore store, Random rng)
    {
        var issues = store.Issues.Where(store.IsVisible).ToList();
        if (issues.Count < 2) return;
        var seen = new HashSet<(long, long)>();
        for (var n = 0; n < issues.Count / 5; n++)
        {
            var a = issues[rng.Next(issues.Count)];
            var b = issues[rng.Next(issues.Count)];
            var type = n % ReferenceData.IssueLinkTypes.Length;
            if (a == b || !seen.Add((Math.Min(a.Id, b.Id), Math.Max(a.Id, b.Id)))) continue;
            store.AddLink(new SimLink(store.NextLinkId++, type, a.Id, b.Id));
        }
    }

    private static void AddAttachmentsAndRemoteLinks(SimulatorStore store, SimIssue issue, Random rng)
    {
        if (rng.Next(3) == 0)
        {
            var n = rng.Next(1, 3);
            for (var k = 0; k < n; k++)
            {
                var (name, mime) = Files[rng.Next(Files.Length)];
                var at = issue.CreatedMs + (long)(rng.NextDouble() * Math.Max(1, issue.UpdatedMs - issue.CreatedMs));
                issue.Attachments.Add(new SimAttachment(store.NextAttachmentId++, issue.Id, name, rng.Next(200, 5_000_000), mime, at, rng.Next(store.Users.Count)));
            }
        }
        if (rng.Next(4) == 0)
            for (var k = rng.Next(1, 3); k > 0; k--) issue.RemoteLinks.Add(new SimRemoteLink(store.NextRemoteLinkId++, issue.Id, rng.Next()));
    }

    /// <summary>Watchers: the reporter (Jira makes the reporter a watcher) plus others, 1 + TextSeed % 3 in all, so the
    /// list agrees with `fields.watches.watchCount`; user 0 (the caller) only when it reported the issue.</summary>
    public static void AddWatchers(SimulatorStore store, SimIssue issue)
    {
        var rng = new Random(TextGenerator.Mix(store.Options.Seed, issue.Id * 7 + 2));
        var want = 1 + issue.TextSeed % 3;
        issue.Watchers.Add(issue.ReporterIndex);
        var available = store.Users.Count - (issue.ReporterIndex == 0 ? 1 : 2);   // users other than 0 and the reporter
        for (var n = Math.Min(want - 1, available); n > 0;)
        {
            var u = rng.Next(1, store.Users.Count);
            if (issue.Watchers.Contains(u)) continue;
            issue.Watchers.Add(u);
            n--;
        }
    }

    /// <summary>Seven filters: five the user may see (own private, project-shared, global, group-shared,
    /// logged-in users) and two it may not (someone else's private one, one shared with the hidden project).</summary>
    private static void AddFilters(SimulatorStore store)
    {
        var users = store.Users.Count;
        var eng = store.VisibleProjects.FirstOrDefault();
        var hidden = store.Projects.FirstOrDefault(p => p.Hidden);
        var list = new List<SimFilter>
        {
            new(10000, "My open issues", "Assigned to me and unresolved", 0, "assignee = currentUser() AND resolution = Unresolved ORDER BY priority DESC", "private", null, true),
            new(10001, $"{eng?.Key} bugs", null, 3 % users, $"project = {eng?.Key} AND issuetype = Bug", "project", eng?.Id.ToString(), true),
            new(10002, "Updated this week", "Everything touched in the last 7 days", 5 % users, "updated >= -7d ORDER BY updated DESC", "global", null, false),
            new(10003, "Triage — Highest & High", null, 1 % users, "priority in (Highest, High) AND resolution is EMPTY", "group", ReferenceData.Groups[1], true),
            new(10004, "Étiquettes ünïcode", "labels with accents", 0, "labels = \"ünïcode\"", "authenticated", null, false),
            new(10005, "Private list of someone else", null, 2 % users, "reporter = currentUser()", "private", null, false),
        };
        if (hidden is not null)
            list.Add(new(10006, "HR cases", null, 4 % users, $"project = {hidden.Key}", "project", hidden.Id.ToString(), false));
        store.Filters.AddRange(list);
    }
}
