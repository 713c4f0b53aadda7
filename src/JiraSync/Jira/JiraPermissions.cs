namespace JiraSync.Jira;

/// <summary>
/// Which Jira permission an endpoint needs, for a 403 message that names it. Taken from the
/// "Permissions required" sections of the OpenAPI specs (jira-platform-openapi.json,
/// jira-software-openapi.json) and jira-api-notes.md §14; first matching prefix wins.
/// </summary>
internal static class JiraPermissions
{
    private static readonly (string Prefix, string Permission)[] ByEndpoint =
    [
        ("rest/api/2/role", "Administer Jira (global)"),
        ("rest/api/2/group", "Browse users and groups (global)"),
        ("rest/api/2/user", "Browse users and groups (global)"),
        ("rest/api/2/users", "Browse users and groups (global)"),
        ("rest/api/2/field/{id}/context", "Administer Jira (global)"),
        ("rest/api/2/field", "Jira access (any logged-in user)"),
        ("rest/api/2/project", "Browse projects (on that project)"),
        ("rest/api/2/search", "Browse projects (on the projects searched)"),
        ("rest/api/2/issue", "Browse projects (on the issue's project)"),
        ("rest/api/2/worklog", "Browse projects (on the worklogs' projects)"),
        ("rest/api/2/changelog", "Browse projects (on the issues' projects)"),
        ("rest/agile/1.0/board", "view the board (its saved filter shared with the user)"),
        ("rest/agile/1.0/sprint", "view the sprint's board or one of its issues"),
    ];

    /// <summary>The permission the endpoint (a metric tag such as <c>rest/api/2/project/{id}/version</c>) needs,
    /// or null when no rule names it.</summary>
    public static string? For(string endpoint)
    {
        foreach (var (prefix, permission) in ByEndpoint)
            if (endpoint.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return permission;
        return null;
    }
}
