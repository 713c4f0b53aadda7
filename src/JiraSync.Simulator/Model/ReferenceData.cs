namespace JiraSync.Simulator.Model;

public sealed record StatusCategory(int Id, string Key, string ColorName, string Name);
public sealed record Status(string Id, string Name, string Description, StatusCategory Category);
public sealed record Priority(string Id, string Name, string StatusColor);
public sealed record IssueType(string Id, string Name, string Description, bool Subtask, int HierarchyLevel);
public sealed record Resolution(string Id, string Name, string Description);
public sealed record ProjectRole(long Id, string Name, string Description);
public sealed record ProjectType(string Key, string FormattedKey, string Color);
public sealed record ProjectCategory(long Id, string Name, string Description);
/// <summary>A workflow transition; in this (simplified, all-to-all) workflow every status can go to every other.</summary>
public sealed record Transition(string Id, string Name, int ToStatusIndex);
/// <summary>An issue link type (OpenAPI IssueLinkType): Inward and Outward are the phrases each side reads.</summary>
public sealed record IssueLinkType(string Id, string Name, string Inward, string Outward);

/// <summary>Instance-wide reference data, shaped like a fresh Jira Software Cloud site.
/// Status category keys are the real ones (new, indeterminate, done, undefined) as in go-jira's
/// captured all_statuses.json.</summary>
public static class ReferenceData
{
    public static readonly StatusCategory[] StatusCategories =
    [
        new(1, "undefined", "medium-gray", "No Category"),
        new(2, "new", "blue-gray", "To Do"),
        new(4, "indeterminate", "yellow", "In Progress"),
        new(3, "done", "green", "Done"),
    ];

    public static readonly Status[] Statuses =
    [
        new("10000", "To Do", "", StatusCategories[1]),
        new("3", "In Progress", "This issue is being actively worked on at the moment by the assignee.", StatusCategories[2]),
        new("10001", "In Review", "Waiting for a second pair of eyes", StatusCategories[2]),
        new("10002", "Done", "", StatusCategories[3]),
    ];

    public static readonly Priority[] Priorities =
    [
        new("1", "Highest", "#d04437"), new("2", "High", "#f15C75"), new("3", "Medium", "#f79232"),
        new("4", "Low", "#707070"), new("5", "Lowest", "#999999"),
    ];

    public static readonly IssueType[] IssueTypes =
    [
        new("10001", "Story", "Functionality or a feature expressed as a user goal.", false, 0),
        new("10002", "Task", "A small, distinct piece of work.", false, 0),
        new("10003", "Bug", "A problem or error.", false, 0),
        new("10004", "Epic", "A big user story that needs to be broken down.", false, 1),
        new("10005", "Sub-task", "A small piece of work that's part of a larger task.", true, -1),
    ];

    public static readonly Resolution[] Resolutions =
    [
        new("10000", "Done", "Work has been completed on this issue."),
        new("10001", "Won't Do", "This issue won't be actioned."),
        new("10002", "Duplicate", "The problem is a duplicate of an existing issue."),
        new("10003", "Cannot Reproduce", "All attempts at reproducing this issue failed."),
    ];

    public static readonly ProjectRole[] Roles =
    [
        new(10002, "Administrators", "A project role that represents administrators in a project"),
        new(10003, "Developers", "Développeurs et développeuses du projet"),
        new(10100, "Viewers", "Read-only access"),
    ];

    public static readonly ProjectType[] ProjectTypes =
    [
        new("software", "Software", "#8777D9"),
        new("business", "Business", "#FFAB00"),
        new("service_desk", "Service Desk", "#2684FF"),
    ];

    public static readonly ProjectCategory[] ProjectCategories =
    [
        new(10000, "Engineering", "Product engineering teams"),
        new(10001, "Opérations & Support", "Équipes d'exploitation — support 24/7"),
    ];

    public static readonly Transition[] Transitions =
    [
        new("11", "To Do", 0), new("21", "Start Progress", 1), new("31", "Ready for Review", 2), new("41", "Done", 3),
    ];

    public static readonly string[] Labels = ["backend", "frontend", "customer", "tech-debt", "ops", "ünïcode", "q4-2026"];

    public static readonly string[] Groups = ["jira-software-users", "jira-administrators", "site-admins"];

    /// <summary>Cloud group ids, parallel to <see cref="Groups"/> (names can change; ids do not).</summary>
    public static readonly string[] GroupIds =
        ["276f955c-63d7-42c8-9520-92d01dca0625", "6e87dc72-4f1f-421f-9382-2fee8b652487", "952d12c3-5b5b-4d04-bb32-44d383afc4b2"];

    /// <summary>jira-software-users holds everybody; the admin groups hold the admin and every fifth user.</summary>
    public static bool InGroup(string groupName, SimUser u) => groupName == Groups[0] || u.Administrator || u.Index % 5 == 1;

    /// <summary>Group name for a Cloud group id or a name; null when neither.</summary>
    public static string? GroupName(string nameOrId) =>
        Array.IndexOf(GroupIds, nameOrId) is var i and >= 0 ? Groups[i] : Groups.Contains(nameOrId) ? nameOrId : null;

    /// <summary>Jira Cloud's default link types (ids Assumed).</summary>
    public static readonly IssueLinkType[] IssueLinkTypes =
    [
        new("10000", "Blocks", "is blocked by", "blocks"),
        new("10001", "Cloners", "is cloned by", "clones"),
        new("10002", "Duplicate", "is duplicated by", "duplicates"),
        new("10003", "Relates", "relates to", "relates to"),
    ];
}
