namespace JiraSync.Reconciliation;

/// <summary>What GET issue/{id} said about one issue the census and the rows disagree on: whether it exists for this
/// user (404 means deleted, or not visible), its key and its <c>updated</c>.</summary>
/// <param name="Exists">False when Jira answered 404.</param>
/// <param name="Key">The issue's current key (it changes when the issue moves); null when it does not exist.</param>
/// <param name="Updated">The issue's <c>updated</c>; null when it does not exist or Jira gave none.</param>
public sealed record IssueProbe(bool Exists, string? Key, DateTimeOffset? Updated);
