namespace JiraSync.Analytics;

/// <summary>One period of one field of one issue (a row of issue_field_history), or one value's membership period
/// of a field holding several values (a row of issue_multiselect_history).</summary>
/// <param name="IssueId">The issue's id (issues.id), stable when it moves and its key changes.</param>
/// <param name="FieldId">Jira's field id ("status", "customfield_10016").</param>
/// <param name="FieldName">The field's current name.</param>
/// <param name="Value">The id where Jira gives one (status, account, option, sprint id), else the text; for a
/// multi-value field, one of its values.</param>
/// <param name="ValueDisplay">The value as Jira displays it (status name, user display name, option text).</param>
/// <param name="ValidFrom">When the period began: the issue's created for the value held at creation, else the
/// time of the change that set it.</param>
/// <param name="ValidUntil">When the next change ended it; null while current.</param>
/// <param name="ChangedBy">Author of the change that began the period (account id; key or name on Server); null for
/// the value held at creation, anonymous changes and automation without an actor.</param>
/// <param name="ChangelogId">The history that began the period; null for the value held at creation.</param>
internal sealed record HistoryRow(
    string IssueId, string FieldId, string FieldName, string? Value, string? ValueDisplay,
    DateTimeOffset ValidFrom, DateTimeOffset? ValidUntil, string? ChangedBy, string? ChangelogId);

/// <summary>An issue as the history needs it: its id, creation time and current <c>fields</c> object.</summary>
internal sealed record IssueSnapshot(string Id, DateTimeOffset Created, System.Text.Json.JsonElement Fields);

/// <summary>The history of one issue: single-value periods and multi-value membership periods.</summary>
internal sealed record IssueHistory(IReadOnlyList<HistoryRow> Fields, IReadOnlyList<HistoryRow> Multiselect);
