using static JiraSync.Streams.FetcherKind;
using static JiraSync.Streams.PageKind;
using static JiraSync.Streams.ReplicationMethod;

namespace JiraSync.Streams;

/// <summary>
/// Every stream the tap offers, in sync order: tap-jira's thirteen (same names and primary keys,
/// shared/reference/tap-jira-streams.md), then site metadata, Jira Software's boards and sprints, and the issues'
/// relations. Paths follow jira-api-notes.md §6, §7 and §14. A declaration with a path is read by
/// <see cref="DeclaredStreamFetcher"/>; the issue family, the worklog feeds and users have their own fetchers.
/// </summary>
public static class StreamRegistry
{
    private const string ProjectExpand = "expand=description,lead,url,projectKeys,issueTypes";

    /// <summary>Not found, or the user may not see it, on one issue: it was deleted during the run; nothing to read.</summary>
    private static readonly IReadOnlyList<SkipRule> IssueGone = [new(404, Quiet: true), new(403)];

    /// <summary>The streams a catalog can select, in sync order (parents before children).</summary>
    public static IReadOnlyList<StreamDefinition> All { get; } =
    [
        new("projects", ["id"], FullTable)
        {
            Path = "rest/api/2/project/search?" + ProjectExpand, Pages = PageBean, PageSize = 100, // project/search caps at 100
            Server = new() { Path = "rest/api/2/project?" + ProjectExpand, Pages = PlainArray },   // no project/search on Server/DC
            Filter = RecordFilters.ConfiguredProjects, Skips = [],
        },
        new("versions", ["id"], FullTable)
        {
            Path = "rest/api/2/project/{projectId}/version?orderBy=sequence", Pages = PageBean,
            Parent = "projects", ParentIdProperty = "projectId", Transform = VersionDates.Normalize, Cost = "1 per project",
        },
        new("components", ["id"], FullTable)
        {
            Path = "rest/api/2/project/{projectId}/component", Pages = PageBean,
            Parent = "projects", ParentIdProperty = "projectId", Cost = "1 per project",
        },
        new("project_types", ["key"], FullTable) { Path = "rest/api/2/project/type", Pages = PlainArray },
        new("project_categories", ["id"], FullTable) { Path = "rest/api/2/projectCategory", Pages = PlainArray },
        new("resolutions", ["id"], FullTable) { Path = "rest/api/2/resolution", Pages = PlainArray },
        new("roles", ["id"], FullTable) { Path = "rest/api/2/role", Pages = PlainArray },   // 403 for non-admins: skipped
        new("users", ["accountId"], FullTable)
        {
            Fetcher = Users, Server = new() { KeyProperties = ["key"] }, Cost = "1 per 1000 users + 1 per 50 members of each group",
        },
        new("issues", ["id"], Incremental) { Fetcher = IssueFamily, ReplicationKey = "updated", Cost = "about 1 per 100 changed issues" },
        new("issue_comments", ["id"], Incremental)
        {
            Fetcher = IssueFamily, ReplicationKey = "updated", Parent = "issues", ParentIdProperty = "issueId", ResentWithParent = true,
            Cost = "1 per issue with more than 20 comments",
        },
        new("changelogs", ["id"], Incremental)
        {
            Fetcher = IssueFamily, ReplicationKey = "created", Parent = "issues", ParentIdProperty = "issueId",
            Cost = "1 per 1000 issues with more than 40 histories",
        },
        new("issue_transitions", ["id", "issueId"], Incremental)
        {
            Fetcher = IssueFamily, Parent = "issues", ParentIdProperty = "issueId", ResentWithParent = true, Cost = "0",
        },
        new("worklogs", ["id"], Incremental)
        {
            Fetcher = Worklogs, ReplicationKey = "updated", DeletedWith = new("issues", "issueId"), Cost = "2 per 1000 changed worklogs",
        },

        // Site metadata: full tables, one request each.
        new("statuses", ["id"], FullTable) { Path = "rest/api/2/status", Pages = PlainArray },
        new("status_categories", ["id"], FullTable) { Path = "rest/api/2/statuscategory", Pages = PlainArray },
        new("priorities", ["id"], FullTable) { Path = "rest/api/2/priority", Pages = PlainArray },
        new("issue_types", ["id"], FullTable) { Path = "rest/api/2/issuetype", Pages = PlainArray },
        new("fields", ["id"], FullTable) { Path = "rest/api/2/field", Pages = PlainArray },
        new("custom_field_options", ["id"], FullTable)
        {
            // Needs Administer Jira: 403 skips a field with one warning. Server/DC has no context API.
            Path = "rest/api/2/field/{fieldId}/context/{contextId}/option", Pages = PageBean, PageSize = 100,
            Parent = "custom_field_contexts", ParentIdProperty = "contextId", ParentProperties = ["fieldId"],
            Skips = [new(403), new(404), new(400, "does not support options|doesn't support options", Quiet: true)],
            Server = new() { Unavailable = true }, Cost = "1 per option field + 1 per context",
        },
        new("issue_link_types", ["id"], FullTable) { Path = "rest/api/2/issueLinkType", Pages = PlainArray, ItemsKey = "issueLinkTypes" },
        new("labels", ["label"], FullTable)
        {
            Path = "rest/api/2/label", Pages = PageBean, PageSize = 1000, ValueProperty = "label",
            Server = new() { Unavailable = true }, Cost = "1 per 1000 labels",   // Cloud only (jira-api-notes.md §14.1)
        },
        new("filters", ["id"], FullTable)
        {
            // Only filters the user owns or that are shared with them; jql comes with expand.
            Path = "rest/api/2/filter/search?expand=description,owner,jql,viewUrl,searchUrl,favourite,favouritedCount,sharePermissions",
            Pages = PageBean, PageSize = 100,
            // Server/DC has no paged filter search: the user's own filters and favourites.
            Server = new() { Path = "rest/api/2/filter/my?includeFavourites=true", Pages = PlainArray },
        },
        new("groups", ["groupId"], FullTable)
        {
            Path = "rest/api/2/group/bulk", Pages = PageBean, PageSize = 50,
            // Server/DC lists groups only through the picker (capped by jira.ajax.autocomplete.limit), keyed by name.
            Server = new() { Path = "rest/api/2/groups/picker?maxResults=1000", Pages = PlainArray, ItemsKey = "groups", KeyProperties = ["name"] },
        },
        new("group_members", ["groupId", "accountId"], FullTable)
        {
            Path = "rest/api/2/group/member?groupId={groupId}&includeInactiveUsers=true", Pages = PageBean, PageSize = 50,
            Parent = "groups", ParentIdProperty = "groupId",
            Server = new()
            {
                Path = "rest/api/2/group/member?groupname={groupName}&includeInactiveUsers=true",
                KeyProperties = ["groupName", "key"], ParentIdProperty = "groupName",
            },
            Cost = "1 per 50 members of each group",
        },

        // Jira Software (rest/agile/1.0).
        new("boards", ["id"], FullTable)
        {
            Path = "rest/agile/1.0/board?includePrivate=true", Pages = Agile, Filter = RecordFilters.BoardsOfConfiguredProjects,
            Cost = "1 per 50 boards",
        },
        new("sprints", ["id"], FullTable)
        {
            Path = "rest/agile/1.0/board/{boardId}/sprint", Pages = Agile, Parent = "boards", ParentIdProperty = "boardId",
            // Kanban boards have no sprints: not asked when the board list says so (as Airbyte does), and their
            // 400 is a normal answer, not a gap, where it does not (peer-connectors.md §7.2, both wordings).
            ParentWhere = board => (string?)board["type"] != "kanban",
            Skips = [new(400, "(does not|doesn't) support sprints", Quiet: true), new(403), new(404)],
            Cost = "1 per scrum or team-managed board",
        },
        new("sprint_issues", ["sprintId", "issueId"], Incremental)
        {
            Fetcher = IssueFamily, Parent = "issues", ParentIdProperty = "issueId", ResentWithParent = true,
            FromParent = IssueDerived.SprintMemberships, ParentFields = IssueDerived.SprintFieldIds, Cost = "0",
        },

        // Relations of the issues.
        new("issue_links", ["id"], Incremental)
        {
            Fetcher = IssueFamily, Parent = "issues", ParentIdProperty = "issueId", ResentWithParent = true,
            FromParent = IssueDerived.Links, ParentFields = _ => ["issuelinks"], AlsoDiesWith = ["otherIssueId"], Cost = "0",
        },
        new("attachments", ["id"], Incremental)
        {
            Fetcher = IssueFamily, Parent = "issues", ParentIdProperty = "issueId", ResentWithParent = true,
            FromParent = IssueDerived.Attachments, ParentFields = _ => ["attachment"], Cost = "0",
        },
        new("issue_watchers", ["issueId", "accountId"], Incremental)
        {
            Fetcher = IssueFamily, Path = "rest/api/2/issue/{issueId}/watchers", Pages = PlainArray, ItemsKey = "watchers",
            Parent = "issues", ParentIdProperty = "issueId", ResentWithParent = true, Skips = IssueGone,
            Server = new() { KeyProperties = ["issueId", "key"] }, SelectedByDefault = false, Cost = "1 per changed issue",
        },
        new("issue_remote_links", ["id"], Incremental)
        {
            Fetcher = IssueFamily, Path = "rest/api/2/issue/{issueId}/remotelink", Pages = PlainArray,
            Parent = "issues", ParentIdProperty = "issueId", ResentWithParent = true, Skips = IssueGone,
            SelectedByDefault = false, Cost = "1 per changed issue",
        },
    ];

    /// <summary>Streams read only as parents of others: never in the catalog, no schema.</summary>
    internal static IReadOnlyList<StreamDefinition> Internal { get; } =
    [
        // Options live per field context (Cloud): field/{id}/context, of the fields that have options.
        new("custom_field_contexts", ["id"], FullTable)
        {
            Path = "rest/api/2/field/{fieldId}/context", Pages = PageBean, PageSize = 50, Internal = true,
            Parent = "fields", ParentIdProperty = "fieldId", ParentWhere = RecordFilters.HasOptions,
            Server = new() { Unavailable = true },
        },
    ];

    private static readonly Dictionary<string, StreamDefinition> ByName =
        All.Concat(Internal).ToDictionary(s => s.Name, StringComparer.Ordinal);

    /// <summary>The stream named <paramref name="name"/> (also the internal ones the tap reads for others), or null.</summary>
    /// <param name="name">A tap_stream_id such as "issue_comments".</param>
    public static StreamDefinition? Find(string name) => ByName.GetValueOrDefault(name);

    internal static StreamDefinition Get(string name) =>
        ByName.TryGetValue(name, out var s) ? s : throw new ArgumentException($"unknown stream '{name}'");
}
