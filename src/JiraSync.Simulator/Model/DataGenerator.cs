namespace JiraSync.Simulator.Model;

/// <summary>Fills a store with deterministic data from the options' seed.</summary>
public static class DataGenerator
{
    private static readonly string[] ProjectKeys = ["ENG", "OPS", "WEB", "DATA", "MOB", "SUP", "FIN", "MKT", "INF", "QA"];
    private static readonly string[] ProjectNames =
        ["Engineering", "Opérations", "Web Platform", "Data & Analytics", "Mobile 📱", "Support", "Finance", "Marketing", "Infrastructure", "Quality"];
    private static readonly string[] FirstNames =
        ["Mia", "Jonas", "Zoë", "Ahmed", "Sofía", "Björn", "Yuki", "Olumide", "Anaïs", "Dmitri", "Priya", "Łukasz", "Chen", "Fatima", "Noah"];
    private static readonly string[] LastNames =
        ["Krystof", "Müller", "García", "Nakamura", "O'Connor", "Søndergaard", "Ivanova", "Okafor", "Dubois", "Kowalski", "李", "Haddad"];
    private static readonly string[] Zones = ["America/New_York", "Europe/Berlin", "Asia/Tokyo", "America/Los_Angeles", "Australia/Sydney", "UTC"];

    private const long Day = 86_400_000L;

    public static void Fill(SimulatorStore store)
    {
        var o = store.Options;
        var rng = new Random(o.Seed);
        var now = store.NowMs;
        var origin = now - 730 * Day;

        for (var u = 0; u < Math.Max(2, o.Users); u++)
        {
            var first = FirstNames[(u + o.Seed) % FirstNames.Length];
            var last = LastNames[(u * 7 + o.Seed) % LastNames.Length];
            var accountId = u == 0 ? "5b10a2844c20165700ede21g" : $"{(uint)TextGenerator.Mix(o.Seed, u):x8}{u:x4}a1b2c3d4e5f6";
            var name = u == 0 ? "sim.admin" : $"{first.ToLowerInvariant()}.{u}";
            store.Users.Add(new SimUser(
                Index: u, AccountId: accountId, Key: u == 0 ? "JIRAUSER10000" : $"JIRAUSER{10000 + u}", Name: name,
                DisplayName: u == 0 ? "Sim Admin" : $"{first} {last}",
                Email: u % 5 == 3 ? null : $"{name}@example.com",   // profile privacy hides some emails
                Active: u == 0 || u % 9 != 4,
                AccountType: u > 0 && u % 11 == 10 ? "app" : "atlassian",
                TimeZone: u == 0 ? o.TimeZone : Zones[u % Zones.Length],
                Administrator: u == 0));
        }

        AddCustomField(store, "Story Points", CustomFieldType.Number);
        AddCustomField(store, "Team Notes", CustomFieldType.Text);
        AddCustomField(store, "Environment Tier", CustomFieldType.Select);
        AddCustomField(store, "Affected Platforms", CustomFieldType.MultiSelect);
        AddCustomField(store, "Go-Live", CustomFieldType.DateTime);
        AddCustomField(store, "Target Date", CustomFieldType.Date);
        AddCustomField(store, "Reviewer", CustomFieldType.User);
        AddCustomField(store, "Tags", CustomFieldType.Labels);
        AddCustomField(store, "Acceptance Criteria", CustomFieldType.TextArea);
        AddCustomField(store, "Region", CustomFieldType.Cascading);
        store.SprintField = AddCustomField(store, "Sprint", CustomFieldType.Sprint);   // customfield_10020, as on most Cloud sites

        var projectCount = o.Projects + (o.HiddenProject ? 1 : 0);
        long versionId = 10000, componentId = 10000;
        for (var p = 0; p < projectCount; p++)
        {
            var hidden = o.HiddenProject && p == projectCount - 1;
            var project = new SimProject
            {
                Id = 10000 + p,
                Key = hidden ? "SECRET" : p < ProjectKeys.Length ? ProjectKeys[p] : $"PRJ{p}",
                Name = hidden ? "Confidential HR" : p < ProjectNames.Length ? ProjectNames[p] : $"Project {p}",
                Description = p % 3 == 2 ? "" : TextGenerator.Sentence(TextGenerator.Mix(o.Seed, 500 + p)),
                TypeKey = ReferenceData.ProjectTypes[p % 2 == 0 ? 0 : 1].Key,
                CategoryId = p % 3 == 2 ? null : ReferenceData.ProjectCategories[p % 2].Id,
                LeadIndex = p % store.Users.Count,
                NoBrowse = hidden,
            };
            store.Projects.Add(project);
            var versions = 2 + rng.Next(4);
            for (var v = 0; v < versions; v++)
            {
                var start = origin + (v * 90 + rng.Next(30)) * Day;
                var released = v < versions - 1;
                project.Versions.Add(new SimVersion(versionId++, project.Id, $"{project.Key} {v + 1}.{rng.Next(10)}",
                    v % 2 == 0 ? TextGenerator.Sentence(rng.Next()) : null, released, v == 0 && versions > 3,
                    v % 3 == 1 ? null : start, start + 60 * Day));
            }
            var components = 1 + rng.Next(4);
            for (var c = 0; c < components; c++)
                project.Components.Add(new SimComponent(componentId++, project.Id, $"Component {c} · {project.Key}",
                    c % 2 == 0 ? "This is a Jira component" : null, c % 3 == 0 ? rng.Next(store.Users.Count) : null));
        }

        var heavyLeft = o.HeavyIssues;
        foreach (var project in store.Projects)
        {
            var count = project.Hidden ? Math.Min(o.IssuesPerProject, 10) : o.IssuesPerProject;
            for (var i = 0; i < count; i++)
            {
                var heavy = !project.Hidden && heavyLeft > 0;
                if (heavy) heavyLeft--;
                var created = origin + (long)(rng.NextDouble() * (now - 2 * Day - origin));
                created -= created % 1000 - rng.Next(1000);
                var updated = created + (long)(rng.NextDouble() * (now - Day - created));
                CreateIssue(store, project, rng, created, updated, heavy);
            }
        }

        ShareOneInstant(store, now - 30 * Day + 123);

        long sprintId = 1;
        long boardId = 1;
        foreach (var project in store.Projects)
        {
            var board = new SimBoard(boardId++, $"{project.Key} board", "scrum", project);
            store.Boards.Add(board);
            for (var s = 0; s < 3; s++)
            {
                var state = s switch { 0 => "closed", 1 => "active", _ => "future" };
                long? start = s == 2 ? null : now - (28 - s * 14) * Day;
                store.Sprints.Add(new SimSprint(sprintId, board.Id, $"{project.Key} Sprint {sprintId}", state, start,
                    start + 14 * Day, s == 0 ? start + 14 * Day - 3_600_000 : null, s == 1 ? "Ship the sync ✅" : ""));
                sprintId++;
            }
            if (project == store.Projects[0])
                store.Boards.Add(new SimBoard(boardId++, $"{project.Key} kanban", "kanban", project));
        }
        store.NextBoardId = boardId;
        store.NextSprintId = sprintId;
        SiteExtras.Fill(store);
    }

    public static SimField AddCustomField(SimulatorStore store, string name, CustomFieldType type)
    {
        var num = store.NextFieldId++;
        var field = new SimField($"customfield_{num}", num, name, type);
        store.CustomFields.Add(field);
        return field;
    }

    /// <summary>Creates an issue with children spread between created and updated; the newest history is at updated.</summary>
    public static SimIssue CreateIssue(SimulatorStore store, SimProject project, Random rng, long created, long updated, bool heavy)
    {
        var users = store.Users.Count;
        var issue = new SimIssue
        {
            Id = store.NextIssueId++,
            Project = project,
            Key = $"{project.Key}-{project.NextIssueNumber++}",
            TextSeed = rng.Next(),
            TypeIndex = rng.Next(ReferenceData.IssueTypes.Length),
            StatusIndex = rng.Next(ReferenceData.Statuses.Length),
            PriorityIndex = rng.Next(ReferenceData.Priorities.Length),
            AssigneeIndex = rng.Next(4) == 0 ? -1 : rng.Next(users),
            ReporterIndex = rng.Next(users),
            CreatedMs = created,
            UpdatedMs = updated,
            DueMs = rng.Next(3) == 0 ? created + rng.Next(10, 90) * Day : null,
            ComponentId = project.Components.Count > 0 && rng.Next(3) > 0 ? project.Components[rng.Next(project.Components.Count)].Id : null,
            FixVersionId = project.Versions.Count > 0 && rng.Next(2) == 0 ? project.Versions[rng.Next(project.Versions.Count)].Id : null,
            LabelMask = rng.Next(1 << ReferenceData.Labels.Length) & rng.Next(1 << ReferenceData.Labels.Length),
        };
        if (ReferenceData.Statuses[issue.StatusIndex].Category.Key == "done")
        {
            issue.ResolutionIndex = rng.Next(ReferenceData.Resolutions.Length);
            issue.ResolutionMs = updated;
        }
        store.Issues.Add(issue);
        store.IssuesById[issue.Id] = issue;
        store.IssuesByKey[issue.Key] = issue;
        SiteExtras.AddWatchers(store, issue);

        var span = Math.Max(1, updated - created);
        var histories = heavy ? 250 : rng.Next(1, 9);
        var times = new long[histories];
        for (var h = 0; h < histories; h++) times[h] = created + (long)(rng.NextDouble() * span);
        Array.Sort(times);
        times[^1] = updated;
        foreach (var t in times)
            issue.Histories.Add(new SimHistory { Id = store.NextHistoryId++, IssueId = issue.Id, AuthorIndex = rng.Next(users), CreatedMs = t, Seed = rng.Next() });

        var comments = heavy ? 120 : rng.Next(0, 7);
        for (var c = 0; c < comments; c++)
        {
            var at = created + (long)(rng.NextDouble() * span);
            var author = rng.Next(users);
            var comment = new SimComment
            {
                Id = store.NextCommentId++, IssueId = issue.Id, AuthorIndex = author, UpdateAuthorIndex = author,
                CreatedMs = at, UpdatedMs = rng.Next(4) == 0 ? Math.Min(updated, at + rng.Next(1, 500_000_000)) : at, TextSeed = rng.Next(),
            };
            issue.Comments.Add(comment);
            store.CommentsById[comment.Id] = comment;
        }
        issue.Comments.Sort((a, b) => a.CreatedMs.CompareTo(b.CreatedMs));

        var worklogs = heavy ? 30 : rng.Next(0, 5);
        for (var w = 0; w < worklogs; w++)
        {
            var at = created + (long)(rng.NextDouble() * span);
            var author = rng.Next(users);
            var worklog = new SimWorklog
            {
                Id = store.NextWorklogId++, IssueId = issue.Id, AuthorIndex = author, UpdateAuthorIndex = author,
                CreatedMs = at, UpdatedMs = at, StartedMs = at - rng.Next(1, 8) * 3_600_000L,
                TimeSpentSeconds = rng.Next(1, 33) * 900, TextSeed = rng.Next(),
            };
            issue.Worklogs.Add(worklog);
            store.WorklogsById[worklog.Id] = worklog;
        }
        issue.Worklogs.Sort((a, b) => a.CreatedMs.CompareTo(b.CreatedMs));
        return issue;
    }

    /// <summary>Gives many worklogs one identical updated millisecond (as a bulk import does), so a
    /// worklog/updated page of 1000 cannot advance `since` and a naive client loops forever.</summary>
    private static void ShareOneInstant(SimulatorStore store, long instant)
    {
        var all = store.WorklogsById.Values.Where(w => !store.IssuesById[w.IssueId].Project.Hidden).OrderBy(w => w.Id).ToList();
        var n = Math.Min(store.Options.WorklogsAtOneInstant, all.Count / 2);
        foreach (var w in all.Where(w => w.CreatedMs <= instant).Take(n))
        {
            w.UpdatedMs = instant;
            // Changing a worklog updates its issue, as in Jira.
            var issue = store.IssuesById[w.IssueId];
            if (issue.UpdatedMs < instant) issue.UpdatedMs = instant;
        }
    }
}
