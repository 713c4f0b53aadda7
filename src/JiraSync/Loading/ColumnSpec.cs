namespace JiraSync.Loading;

/// <summary>One column of a destination table: the property name (used verbatim, always quoted), its type, its comment.</summary>
public sealed record ColumnSpec(string Name, ColumnType Type, string? Description = null);
