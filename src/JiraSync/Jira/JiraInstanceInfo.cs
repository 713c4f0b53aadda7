namespace JiraSync.Jira;

/// <summary>What the tap and `jirasync check` need to know about the site and the signed-in user, read once per
/// run from <c>serverInfo</c> and <c>myself</c> (jira-api-notes.md §2) by <see cref="JiraSession"/>.</summary>
public sealed record JiraInstanceInfo
{
    /// <summary>"Cloud", "Server" or "DataCenter", as serverInfo's deploymentType says (absent: "Server").</summary>
    public required string DeploymentType { get; init; }
    /// <summary>serverInfo.version, e.g. "1001.0.0-SNAPSHOT" (Cloud) or "9.12.4".</summary>
    public string? Version { get; init; }
    /// <summary>serverInfo.serverTitle, the site's name.</summary>
    public string? ServerTitle { get; init; }
    /// <summary>serverInfo.serverTime: the bookmark never passes the moment the run started on Jira's clock.</summary>
    public required DateTimeOffset ServerTime { get; init; }
    /// <summary>The user: accountId on Cloud (key/name are blank there), key and name on Server/DC.</summary>
    public string? AccountId { get; init; }
    /// <summary>myself.key (Server/DC).</summary>
    public string? UserKey { get; init; }
    /// <summary>myself.name, the login name (Server/DC).</summary>
    public string? UserName { get; init; }
    /// <summary>myself.displayName.</summary>
    public string? DisplayName { get; init; }
    /// <summary>myself.emailAddress; absent when the user's profile hides it.</summary>
    public string? EmailAddress { get; init; }
    /// <summary>The zone Jira reads JQL date literals in (jira-api-notes.md §10); null when Jira named none or one
    /// this machine does not know, and then JQL dates are written with a 14-hour safety margin (JqlTime).</summary>
    public TimeZoneInfo? TimeZone { get; init; }
    /// <summary>The zone's name as Jira gave it (null when it gave none).</summary>
    public string? TimeZoneName { get; init; }
    /// <summary>Where the zone came from: "myself", "serverInfo" or "none".</summary>
    public required string TimeZoneSource { get; init; }

    /// <summary>True for Jira Cloud (deploymentType "Cloud").</summary>
    public bool IsCloud => string.Equals(DeploymentType, "Cloud", StringComparison.OrdinalIgnoreCase);
    /// <summary>True for Server and Data Center, which share their API differences from Cloud.</summary>
    public bool IsServer => !IsCloud;

    /// <summary>The identity to show: accountId on Cloud, key or name on Server/DC.</summary>
    public string UserIdentity => !string.IsNullOrEmpty(AccountId) ? $"accountId {AccountId}"
        : !string.IsNullOrEmpty(UserKey) ? $"key {UserKey}" : !string.IsNullOrEmpty(UserName) ? $"name {UserName}" : "no id";
}
