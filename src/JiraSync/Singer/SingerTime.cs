using System.Globalization;

namespace JiraSync.Singer;

/// <summary>
/// The one home for date-time text in JiraSync: Singer's output form, Jira's input forms and the ISO 8601 forms of
/// config files. singer-python writes UTC with six fractional digits and 'Z' (singer-notes.md §8), so records,
/// bookmarks and time_extracted all use that one shape. Jira writes "2024-01-15T10:20:30.123+0000" (offset without
/// a colon, jira-api-notes.md §10). Text without an offset is taken as UTC, as singer-python does. (JQL date
/// literals, in the Jira user's zone at minute precision, are Streams/JqlTime's.)
/// </summary>
internal static class SingerTime
{
    // The shapes Jira and Singer write, tried first (exact parsing is cheaper than the general parser on hot paths).
    private static readonly string[] Exact =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm:ss.FFFFFFFzzz", "yyyy-MM-dd HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd",
    ];

    // ISO 8601 as people write it in config files and state: a date, or a date-time with or without seconds and offset.
    private static readonly string[] Iso =
    [
        "yyyy-MM-dd",
        "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HH:mmzzz",
        "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:sszz",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz",
        "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ssK", "yyyy-MM-dd HH:mm:ss.FFFFFFFK",
    ];

    /// <summary>Singer's form: UTC, six fractional digits, 'Z' (e.g. <c>2024-01-15T10:20:30.123000Z</c>).</summary>
    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary><see cref="Format"/> of a Unix time in milliseconds (Jira's worklog feeds count in them).</summary>
    public static string FormatEpochMs(long ms) => Format(DateTimeOffset.FromUnixTimeMilliseconds(ms));

    /// <summary>Reads a date or date-time as Jira or a Singer tap writes it: RFC 3339, Jira's "+0000" offsets, a bare
    /// date (midnight UTC); anything else the invariant culture's parser accepts. No offset means UTC.</summary>
    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var s = text.Trim();
        if (DateTimeOffset.TryParseExact(s, Exact, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value))
        {
            value = value.ToUniversalTime();
            return true;
        }
        return DateTimeOffset.TryParse(WithOffsetColon(s), CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);
    }

    /// <summary><see cref="TryParse"/>, or a <see cref="FormatException"/> saying <c>expected a date-time, got "…"</c>.</summary>
    public static DateTimeOffset Parse(string text) =>
        TryParse(text, out var value) ? value : throw new FormatException($"expected a date-time, got \"{(text.Length <= 60 ? text : text[..60] + "…")}\"");

    /// <summary>Reads only ISO 8601 (a date, or a date-time with minutes, optional seconds, fraction and offset, Jira's
    /// "+0000" included): the strict form for config values and bookmarks people type.</summary>
    public static bool TryParseIso(string text, out DateTimeOffset value) =>
        DateTimeOffset.TryParseExact(WithOffsetColon(text.Trim()), Iso, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out value);

    /// <summary>Normalizes a date or date-time text to Singer's UTC form; null when it is not a date.</summary>
    public static string? Normalize(string? text) => TryParse(text, out var v) ? Format(v) : null;

    /// <summary>Jira's "+0000" / "-0700" offsets get the colon .NET's parsers want.</summary>
    private static string WithOffsetColon(string s) =>
        s.Length > 10 && (s[^5] == '+' || s[^5] == '-') && s.IndexOfAny(['T', ' ']) > 0
        && char.IsDigit(s[^4]) && char.IsDigit(s[^3]) && char.IsDigit(s[^2]) && char.IsDigit(s[^1])
            ? s[..^2] + ":" + s[^2..]
            : s;
}
