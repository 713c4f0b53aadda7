namespace JiraSync.Simulator.Endpoints;

/// <summary>Thrown inside a render callback when the issue is missing or not visible; becomes Jira's 404.</summary>
public sealed class IssueNotFound : Exception;
