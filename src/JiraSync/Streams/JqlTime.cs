using System.Globalization;

namespace JiraSync.Streams;

/// <summary>
/// JQL date literals: "yyyy/MM/dd HH:mm", minute precision, read in the searching user's time zone
/// (jira-api-notes.md §10; the bug behind singer-io/tap-jira#15 and airbyte#48492). A bookmark
/// (an instant) becomes a literal by subtracting the look-back window, converting to the user's
/// zone and flooring to the minute, so the query always starts at or before the bookmark.
/// </summary>
internal static class JqlTime
{
    /// <summary>Largest UTC offset in use; the margin when the user's zone is unknown to this machine.</summary>
    private static readonly TimeSpan UnknownZoneMargin = TimeSpan.FromHours(14);

    public static string Literal(DateTimeOffset instant, TimeZoneInfo? userZone, int lookbackMinutes)
    {
        var start = instant - TimeSpan.FromMinutes(Math.Max(0, lookbackMinutes));
        var local = userZone is null ? start.UtcDateTime - UnknownZoneMargin : TimeZoneInfo.ConvertTime(start, userZone).DateTime;
        var floored = new DateTime(local.Year, local.Month, local.Day, local.Hour, local.Minute, 0);
        return floored.ToString("yyyy/MM/dd HH:mm", CultureInfo.InvariantCulture);
    }

    /// <summary>A literal at or after the instant (the next whole minute in the user's zone), for upper bounds.</summary>
    public static string UpperLiteral(DateTimeOffset instant, TimeZoneInfo? userZone)
    {
        var local = userZone is null ? instant.UtcDateTime + UnknownZoneMargin : TimeZoneInfo.ConvertTime(instant, userZone).DateTime;
        var floored = new DateTime(local.Year, local.Month, local.Day, local.Hour, local.Minute, 0).AddMinutes(1);
        return floored.ToString("yyyy/MM/dd HH:mm", CultureInfo.InvariantCulture);
    }
}
