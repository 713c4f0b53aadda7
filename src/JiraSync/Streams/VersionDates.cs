using System.Globalization;
using System.Text.Json.Nodes;

namespace JiraSync.Streams;

/// <summary>
/// Jira versions carry userReleaseDate/userStartDate as display text in the instance's
/// "Day/Month/Year Format" (e.g. "6/Jul/2010"; jira-api-notes.md §6, "never parse these"), next to
/// the ISO releaseDate/startDate. tap-jira declares all four as date-time, so we give the user-facing
/// pair the ISO value of the same date: taken from releaseDate/startDate when present (always right,
/// whatever the locale), otherwise parsed from the common Jira display formats.
/// </summary>
internal static class VersionDates
{
    private static readonly string[] DisplayFormats =
    [
        "d/MMM/yy", "d/MMM/yyyy", "dd/MMM/yy", "dd/MMM/yyyy", "yyyy-MM-dd", "d MMM yyyy", "MMM d, yyyy",
        "d.M.yyyy", "d.M.yy", "dd.MM.yyyy", "M/d/yyyy", "M/d/yy", "yyyy/MM/dd",
    ];

    public static JsonObject Normalize(JsonObject version)
    {
        Fix(version, "userReleaseDate", "releaseDate");
        Fix(version, "userStartDate", "startDate");
        return version;
    }

    private static void Fix(JsonObject version, string userKey, string isoKey)
    {
        if (version[userKey] is not JsonValue user || !user.TryGetValue<string>(out var text)) return;
        if (version[isoKey] is JsonValue iso && iso.TryGetValue<string>(out var isoText) && !string.IsNullOrEmpty(isoText))
        {
            version[userKey] = isoText;
            return;
        }
        if (TryParseDisplayDate(text, out var date)) version[userKey] = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        else version[userKey] = null; // a display string in an unknown locale cannot be a date-time; the ISO twin is absent too
    }

    public static bool TryParseDisplayDate(string text, out DateTime date)
    {
        foreach (var culture in new[] { CultureInfo.InvariantCulture, CultureInfo.GetCultureInfo("en-US") })
            if (DateTime.TryParseExact(text.Trim(), DisplayFormats, culture, DateTimeStyles.None, out date)) return true;
        date = default;
        return false;
    }
}
