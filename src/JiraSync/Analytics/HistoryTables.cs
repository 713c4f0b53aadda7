using JiraSync.Loading;

namespace JiraSync.Analytics;

/// <summary>The two history tables (Fivetran's ISSUE_FIELD_HISTORY and ISSUE_MULTISELECT_HISTORY, as periods with
/// valid_from/valid_until instead of change instants), with the metadata columns every destination table has:
/// <c>_sdc_deleted_at</c> is the issue's, so a deleted issue's history is marked deleted with it.</summary>
internal static class HistoryTables
{
    public const string FieldHistory = "issue_field_history";
    public const string MultiselectHistory = "issue_multiselect_history";

    private static IReadOnlyList<ColumnSpec> Columns(string valueMeaning) =>
    [
        new("issue_id", ColumnType.Text, "The issue's id (issues.id); stable when the issue moves and its key changes"),
        new("field_id", ColumnType.Text, "Jira's field id (status, assignee, customfield_10016); a renamed field keeps one history"),
        new("field_name", ColumnType.Text, "The field's current name"),
        new("value", ColumnType.Text, valueMeaning),
        new("value_display", ColumnType.Text, "The value as Jira displays it (status name, user display name, option text)"),
        new("valid_from", ColumnType.Timestamp, "Start of the period: the issue's created for the value held at creation, else the change time"),
        new("valid_until", ColumnType.Timestamp, "End of the period (the next change); null while current"),
        new("changed_by", ColumnType.Text, "Account id (Server: user key or name) of who began the period; null at creation, for anonymous changes and automation without an actor"),
        new("changelog_id", ColumnType.Text, "The changelog history (changelogs.id) that began the period; null for the value at creation"),
    ];

    public static readonly TableSchema Field = new(FieldHistory,
        Columns("The id where Jira gives one (status id, account id, option id), else the text"), [],
        "One row per issue, field and period: the value a field held from valid_from until valid_until (JiraSync analytics)");

    public static readonly TableSchema Multiselect = new(MultiselectHistory,
        Columns("One of the values (label, component id, version id, sprint id, option id, account id)"), [],
        "One row per issue, multi-value field, value and period: value was in the field's set from valid_from until valid_until (JiraSync analytics)");

    /// <summary>A history row with its metadata values, in <see cref="TableSchema.AllColumns"/> order; the deletion
    /// time and row status (<see cref="Singer.RowStatus"/>) are the issue's.</summary>
    public static object?[] Values(HistoryRow r, DateTimeOffset? extractedAt, DateTimeOffset batchedAt, DateTimeOffset? deletedAt, string? rowStatus) =>
    [
        r.IssueId, r.FieldId, r.FieldName, r.Value, r.ValueDisplay, r.ValidFrom.ToUniversalTime(), r.ValidUntil?.ToUniversalTime(),
        r.ChangedBy, r.ChangelogId,
        (extractedAt ?? batchedAt).ToUniversalTime(), batchedAt.ToUniversalTime(), deletedAt?.ToUniversalTime(), null, null, rowStatus,
    ];
}
