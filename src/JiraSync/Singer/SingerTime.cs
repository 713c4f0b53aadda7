using System.Globalization;

namespace JiraSync.Singer;

/// <summary>
/// Date-time text as Singer expects it. singer-python writes UTC with six fractional digits and 'Z'
/// (singer-notes.md §8), so records, bookmarks and time_extracted all use that one shape.
/// Parsing accepts RFC 3339 and Jira's own "2024-01-15T10:20:30.123+0000" (offset without a colon,
/// jira-api-notes.md §10); text without an offset is taken as UTC, as singer-python does.
/// </summary>
public static class SingerTime
{
    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    public static string FormatEpochMs(long ms) => Format(DateTimeOffset.FromUnixTimeMilliseconds(ms));

    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var s = text.Trim();
        // Jira's "+0000" / "-0700" offsets: insert the colon .NET's parser wants.
        if (s.Length > 5 && (s[^5] == '+' || s[^5] == '-') && s.IndexOf('T') > 0
            && char.IsDigit(s[^4]) && char.IsDigit(s[^3]) && char.IsDigit(s[^2]) && char.IsDigit(s[^1]))
            s = s[..^2] + ":" + s[^2..];
        return DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);
    }

    /// <summary>Normalizes a date or date-time text to Singer's UTC form; null when it is not a date.</summary>
    public static string? Normalize(string? text) => TryParse(text, out var v) ? Format(v) : null;
}
