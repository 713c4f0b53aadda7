using System.Globalization;

namespace JiraSync.Tests.Simulator;

/// <summary>Parses Jira's `2024-01-15T10:20:30.123-0500` (offset without colon).</summary>
public static class JiraTimestamp
{
    public static DateTimeOffset Parse(string value)
    {
        var withColon = value[..^2] + ":" + value[^2..];
        return DateTimeOffset.ParseExact(withColon, "yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);
    }
}
