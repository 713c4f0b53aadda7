namespace JiraSync.Loading;

/// <summary>One column of a destination table: the property name (used verbatim, always quoted), its type, its comment,
/// and for a flattened column the object property and sub-property its value is read from.</summary>
/// <param name="Name">The column name (the JSON property, or <c>{property}__{sub-property}</c> when flattened).</param>
/// <param name="Type">Its type.</param>
/// <param name="Description">The JSON Schema "description", stored as the column comment; null for none.</param>
/// <param name="From">For a flattened column, where its value is read from; null for a top-level property.</param>
public sealed record ColumnSpec(string Name, ColumnType Type, string? Description = null, ColumnSource? From = null);

/// <summary>Where a flattened column's value lives in a record: <c>record[Property][SubProperty]</c>.</summary>
/// <param name="Property">The object property (e.g. "fields").</param>
/// <param name="SubProperty">The key inside it (e.g. "priority").</param>
public sealed record ColumnSource(string Property, string SubProperty);
