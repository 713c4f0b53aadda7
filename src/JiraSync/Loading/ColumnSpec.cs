namespace JiraSync.Loading;

/// <summary>One column of a destination table: the property name (used verbatim, always quoted), its type, its comment,
/// and for a flattened column the object property and sub-property its value is read from.</summary>
public sealed record ColumnSpec(string Name, ColumnType Type, string? Description = null, ColumnSource? From = null);

/// <summary>Where a flattened column's value lives in a record: <c>record[Property][SubProperty]</c>.</summary>
public sealed record ColumnSource(string Property, string SubProperty);
