using JiraSync.Singer;

namespace JiraSync.Analytics;

/// <summary>Field names as the issues table records them: a flattened column <c>fields__{id}</c> is described with the
/// field's current name (IssueFieldSchema takes it from Jira's field list).</summary>
internal static class FieldNames
{
    private const string Prefix = "fields" + SchemaHints.FlattenSeparator;

    /// <summary>field id → name, from (column name, description) pairs; columns without a description are skipped.</summary>
    public static Dictionary<string, string> FromColumns(IEnumerable<(string Column, string? Description)> columns)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (column, description) in columns)
            if (column.StartsWith(Prefix, StringComparison.Ordinal) && !string.IsNullOrEmpty(description))
                names[column[Prefix.Length..]] = description;
        return names;
    }
}
