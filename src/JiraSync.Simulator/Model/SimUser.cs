namespace JiraSync.Simulator.Model;

/// <summary>A Jira user. Cloud identifies users by AccountId; Server by Key/Name.</summary>
public sealed record SimUser(int Index, string AccountId, string Key, string Name, string DisplayName,
    string? Email, bool Active, string AccountType, string TimeZone, bool Administrator);
