namespace JiraSync.Loading;

/// <summary>SQL text helpers shared by the DuckDB and PostgreSQL destinations. Identifiers are always quoted
/// (Jira property names are camelCase and may be reserved words); literals are escaped.</summary>
internal static class SqlText
{
    public static string Ident(string name) => "\"" + name.Replace("\"", "\"\"") + "\"";

    public static string Literal(string text) => "'" + text.Replace("'", "''") + "'";

    public static string TimestampLiteral(DateTimeOffset t) =>
        "CAST('" + Singer.SingerTime.Format(t) + "' AS TIMESTAMPTZ)";

    public static string ColumnList(IEnumerable<string> names) => string.Join(", ", names.Select(Ident));
}
