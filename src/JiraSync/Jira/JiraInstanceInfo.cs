namespace JiraSync.Jira;

/// <summary>What the tap needs to know about the site and the signed-in user, read once per run from
/// <c>serverInfo</c> and <c>myself</c> (jira-api-notes.md §2).</summary>
public sealed record JiraInstanceInfo
{
    /// <summary>"Cloud", "Server" or "DataCenter", as serverInfo's deploymentType says.</summary>
    public required string DeploymentType { get; init; }
    public string? Version { get; init; }
    public string? ServerTitle { get; init; }
    /// <summary>The user: accountId on Cloud (key/name are blank there), key and name on Server/DC.</summary>
    public string? AccountId { get; init; }
    public string? UserKey { get; init; }
    public string? UserName { get; init; }
    public string? DisplayName { get; init; }
    public string? EmailAddress { get; init; }
    /// <summary>The user's profile time zone, in which Jira reads JQL date literals (jira-api-notes.md §"Time zones").</summary>
    public required TimeZoneInfo TimeZone { get; init; }
    /// <summary>Where <see cref="TimeZone"/> came from: "myself", "serverInfo" or "default UTC".</summary>
    public required string TimeZoneSource { get; init; }

    public bool IsCloud => string.Equals(DeploymentType, "Cloud", StringComparison.OrdinalIgnoreCase);

    /// <summary>The identity to show: accountId on Cloud, key or name on Server/DC.</summary>
    public string UserIdentity => !string.IsNullOrEmpty(AccountId) ? $"accountId {AccountId}"
        : !string.IsNullOrEmpty(UserKey) ? $"key {UserKey}" : !string.IsNullOrEmpty(UserName) ? $"name {UserName}" : "no id";
}
