using System.Globalization;
using System.Text.RegularExpressions;

namespace JiraSync.Config;

/// <summary>ISO 8601 dates and date-times as config files and Singer state carry them.</summary>
public static class IsoDate
{
    private static readonly string[] Formats =
    [
        "yyyy-MM-dd",
        "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HH:mmzzz",
        "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:sszz",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz",
        "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ssK", "yyyy-MM-dd HH:mm:ss.FFFFFFFK",
    ];

    public static bool TryParse(string text, out DateTimeOffset value)
    {
        text = text.Trim();
        // Jira writes offsets without a colon ("+0000"); .NET's zzz wants "+00:00".
        var m = Regex.Match(text, @"([+-])(\d{2})(\d{2})$");
        if (m.Success && text.Length > 10) text = text[..m.Index] + $"{m.Groups[1].Value}{m.Groups[2].Value}:{m.Groups[3].Value}";
        return DateTimeOffset.TryParseExact(text, Formats, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out value);
    }
}
