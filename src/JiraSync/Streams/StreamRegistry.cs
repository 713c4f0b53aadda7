using static JiraSync.Streams.FetcherKind;
using static JiraSync.Streams.Pagination;
using static JiraSync.Streams.ReplicationMethod;

namespace JiraSync.Streams;

/// <summary>
/// Every stream the tap offers, in sync order: tap-jira's thirteen, same names and primary keys
/// (shared/reference/tap-jira-streams.md). Endpoints follow jira-api-notes.md §6.
/// </summary>
public static class StreamRegistry
{
    public static IReadOnlyList<StreamDefinition> All { get; } =
    [
        new("projects", Projects, null, Special, ["id"], FullTable),
        new("versions", PerProject, "rest/api/2/project/{projectId}/version?orderBy=sequence", PageBean, ["id"], FullTable,
            Parent: "projects", ParentIdProperty: "projectId", Transform: VersionDates.Normalize),
        new("components", PerProject, "rest/api/2/project/{projectId}/component", PageBean, ["id"], FullTable,
            Parent: "projects", ParentIdProperty: "projectId"),
        new("project_types", Site, "rest/api/2/project/type", PlainArray, ["key"], FullTable),
        new("project_categories", Site, "rest/api/2/projectCategory", PlainArray, ["id"], FullTable),
        new("resolutions", Site, "rest/api/2/resolution", PlainArray, ["id"], FullTable),
        new("roles", Site, "rest/api/2/role", PlainArray, ["id"], FullTable),
        new("users", Users, null, Special, ["accountId"], FullTable, ServerKeyProperties: ["key"]),
        new("issues", IssueFamily, null, Special, ["id"], Incremental, ReplicationKey: "updated"),
        new("issue_comments", IssueFamily, null, Special, ["id"], Incremental, ReplicationKey: "updated",
            Parent: "issues", ParentIdProperty: "issueId") { ResentWithParent = true },
        new("changelogs", IssueFamily, null, Special, ["id"], Incremental, ReplicationKey: "created",
            Parent: "issues", ParentIdProperty: "issueId"),
        new("issue_transitions", IssueFamily, null, Special, ["id", "issueId"], Incremental,
            Parent: "issues", ParentIdProperty: "issueId") { ResentWithParent = true },
        new("worklogs", Worklogs, null, Special, ["id"], Incremental, ReplicationKey: "updated") { DeletedWith = new("issues", "issueId") },
    ];

    private static readonly Dictionary<string, StreamDefinition> ByName = All.ToDictionary(s => s.Name, StringComparer.Ordinal);

    public static StreamDefinition? Find(string name) => ByName.GetValueOrDefault(name);

    public static StreamDefinition Get(string name) =>
        ByName.TryGetValue(name, out var s) ? s : throw new ArgumentException($"unknown stream '{name}'");
}
