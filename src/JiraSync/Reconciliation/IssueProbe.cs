namespace JiraSync.Reconciliation;

/// <summary>What GET issue/{id} said about one issue the census and the rows disagree on: whether it exists for this
/// user (404 means deleted, or not visible), its key and its <c>updated</c>.</summary>
public sealed record IssueProbe(bool Exists, string? Key, DateTimeOffset? Updated);
