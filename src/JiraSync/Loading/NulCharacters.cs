using System.Text.RegularExpressions;

namespace JiraSync.Loading;

/// <summary>Removes NUL characters from column values. PostgreSQL text and jsonb refuse them (the COPY, and so the
/// whole batch, fails) and DuckDB's appender cuts a string at the first one; Jira text occasionally holds one.</summary>
internal static partial class NulCharacters
{
    /// <summary>The value without NULs: raw ones in text, and their <c>\u0000</c> escapes in JSON text. An escape is
    /// only one when an even number of backslashes precedes it: <c>\\u0000</c> is a backslash followed by "u0000".</summary>
    public static object Remove(object value, ColumnType type)
    {
        if (value is not string s) return value;
        if (type == ColumnType.Json)
            return s.Contains("\\u0000", StringComparison.Ordinal) ? NulEscape().Replace(s, "$1") : s;
        return s.Contains('\0') ? s.Replace("\0", "") : s;
    }

    [GeneratedRegex(@"(?<!\\)((?:\\\\)*)\\u0000")]
    private static partial Regex NulEscape();
}
