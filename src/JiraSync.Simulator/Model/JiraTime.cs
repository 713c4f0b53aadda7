using System.Globalization;

namespace JiraSync.Simulator.Model;

/// <summary>Jira's timestamp formats. Times are kept as epoch milliseconds (UTC) and rendered in the
/// user's zone as `yyyy-MM-dd'T'HH:mm:ss.SSS+hhmm` (no colon), as Cloud does
/// (developer.atlassian.com/cloud/jira/platform/rest/v2/intro/#timestamps).</summary>
public sealed class JiraTime
{
    public TimeZoneInfo Zone { get; }

    public JiraTime(string zoneId) => Zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);

    public string Format(long epochMs)
    {
        var local = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(epochMs), Zone);
        var off = local.Offset;
        var sign = off < TimeSpan.Zero ? '-' : '+';
        var abs = off.Duration();
        return local.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture)
               + sign + abs.Hours.ToString("00", CultureInfo.InvariantCulture) + abs.Minutes.ToString("00", CultureInfo.InvariantCulture);
    }

    /// <summary>Agile API style: ISO with a colon offset (sprint dates).</summary>
    public string FormatAgile(long epochMs) =>
        TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(epochMs), Zone)
            .ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);

    /// <summary>UTC ISO with milliseconds and `Z`, as Cloud spells the dates inside the Sprint field (fixture
    /// airbyte-cloud/sprints.json shows the same style).</summary>
    public static string FormatUtc(long epochMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(epochMs).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public string FormatDate(long epochMs) =>
        TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(epochMs), Zone)
            .ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The instance "Day/Month/Year Format" used by version userReleaseDate: "15/Jan/24".</summary>
    public string FormatUserDate(long epochMs) =>
        TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(epochMs), Zone)
            .ToString("d/MMM/yy", CultureInfo.InvariantCulture);

    /// <summary>A wall-clock time in the user's zone to an instant (ambiguous times take the
    /// earlier offset, invalid ones in a DST gap move forward, as java.time does).</summary>
    public long FromLocal(DateTime local)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (Zone.IsInvalidTime(local)) local = local.AddHours(1);
        var offset = Zone.IsAmbiguousTime(local) ? Zone.GetAmbiguousTimeOffsets(local).Max() : Zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUnixTimeMilliseconds();
    }
}
