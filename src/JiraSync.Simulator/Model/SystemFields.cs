namespace JiraSync.Simulator.Model;

public sealed record SystemField(string Id, string Name, string? SchemaType, string? SchemaItems, bool Navigable,
    bool Orderable, bool Searchable, string[] ClauseNames);

/// <summary>The system fields an issue carries, in the order issues render them. `comment` and `worklog`
/// are not navigable, so `*navigable` (the legacy search default) leaves them out.</summary>
public static class SystemFields
{
    public static readonly SystemField[] All =
    [
        new("summary", "Summary", "string", null, true, true, true, ["summary"]),
        new("issuetype", "Issue Type", "issuetype", null, true, true, true, ["issuetype", "type"]),
        new("project", "Project", "project", null, true, false, true, ["project"]),
        new("status", "Status", "status", null, true, false, true, ["status"]),
        new("statuscategorychangedate", "Status Category Changed", "datetime", null, true, false, true, ["statusCategoryChangedDate"]),
        new("priority", "Priority", "priority", null, true, true, true, ["priority"]),
        new("resolution", "Resolution", "resolution", null, true, true, true, ["resolution"]),
        new("resolutiondate", "Resolved", "datetime", null, true, false, true, ["resolutiondate", "resolved"]),
        new("assignee", "Assignee", "user", null, true, true, true, ["assignee"]),
        new("reporter", "Reporter", "user", null, true, true, true, ["reporter"]),
        new("creator", "Creator", "user", null, true, false, true, ["creator"]),
        new("created", "Created", "datetime", null, true, false, true, ["created", "createdDate"]),
        new("updated", "Updated", "datetime", null, true, false, true, ["updated", "updatedDate"]),
        new("lastViewed", "Last Viewed", "datetime", null, true, false, false, ["lastViewed"]),
        new("duedate", "Due date", "date", null, true, true, true, ["due", "duedate"]),
        new("labels", "Labels", "array", "string", true, true, true, ["labels"]),
        new("components", "Components", "array", "component", true, true, true, ["component"]),
        new("fixVersions", "Fix versions", "array", "version", true, true, true, ["fixVersion"]),
        new("versions", "Affects versions", "array", "version", true, true, true, ["affectedVersion"]),
        new("description", "Description", "string", null, true, true, true, ["description"]),
        new("environment", "Environment", "string", null, true, true, true, ["environment"]),
        new("timespent", "Time Spent", "number", null, true, false, false, ["timespent"]),
        new("timeoriginalestimate", "Original Estimate", "number", null, true, false, false, ["originalEstimate", "timeoriginalestimate"]),
        new("timeestimate", "Remaining Estimate", "number", null, true, false, false, ["remainingEstimate", "timeestimate"]),
        new("aggregatetimespent", "Σ Time Spent", "number", null, true, false, false, []),
        new("aggregatetimeoriginalestimate", "Σ Original Estimate", "number", null, true, false, false, []),
        new("aggregatetimeestimate", "Σ Remaining Estimate", "number", null, true, false, false, []),
        new("progress", "Progress", "progress", null, true, false, false, ["progress"]),
        new("aggregateprogress", "Σ Progress", "progress", null, true, false, false, []),
        new("issuerestriction", "Restrict to", "issuerestriction", null, true, false, true, []),
        new("timetracking", "Time tracking", "timetracking", null, false, true, true, []),
        new("attachment", "Attachment", "array", "attachment", true, true, true, ["attachments"]),
        new("subtasks", "Sub-tasks", "array", "issuelinks", true, false, true, ["subtasks"]),
        new("issuelinks", "Linked Issues", "array", "issuelinks", true, true, true, ["issueLink"]),
        new("watches", "Watchers", "watches", null, true, false, true, ["watchers"]),
        new("votes", "Votes", "votes", null, true, false, true, ["votes"]),
        new("workratio", "Work Ratio", "number", null, true, false, true, ["workratio"]),
        new("security", "Security Level", "securitylevel", null, true, true, true, ["level"]),
        new("comment", "Comment", "comments-page", null, false, true, true, ["comment"]),
        new("worklog", "Log Work", "array", "worklog", false, true, true, []),
    ];

    public static readonly HashSet<string> Ids = [.. All.Select(f => f.Id)];
}
