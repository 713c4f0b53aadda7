using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Cronos;
using JiraSync.Errors;

namespace JiraSync.Scheduling;

/// <summary>Turns the `schedule` command's --every/--anchor/--tz/--cron values into an <see cref="ISchedule"/>;
/// anything unparsable is a <see cref="ConfigException"/> (exit 2) whose message shows the expected form.</summary>
public static partial class ScheduleParser
{
    internal const string EveryForm = "a duration such as 30s, 15m, 1h, 1h30m or 1d";
    internal const string AnchorForm = "a 24-hour time of day HH:MM, such as 02:30";
    internal const string CronForm = "5 fields 'minute hour day-of-month month day-of-week' (e.g. '0 */2 * * *'), 6 with seconds first, or a macro such as @hourly";

    [GeneratedRegex(@"^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$", RegexOptions.IgnoreCase)]
    private static partial Regex DurationPattern();

    /// <summary>The schedule the options describe: --cron EXPR (5 or 6 fields, Cronos), --every INTERVAL counted from
    /// <paramref name="origin"/>, or --every INTERVAL --anchor HH:MM aligned to a time of day in the zone.</summary>
    /// <param name="every">--every: an interval such as 15m or 1h30m; exactly one of this and <paramref name="cron"/>.</param>
    /// <param name="anchor">--anchor: a time of day HH:MM (24-hour) in <paramref name="tz"/>; only with --every.</param>
    /// <param name="tz">--tz: an IANA zone name; null for the machine's local zone. Only with --anchor or --cron.</param>
    /// <param name="cron">--cron: a cron expression or macro such as @hourly.</param>
    /// <param name="origin">Now: a plain --every runs at once and keeps this instant's rhythm; for whole-day anchored
    /// intervals it picks the first day.</param>
    /// <exception cref="ConfigException">A value is malformed or the combination is not allowed; the message shows
    /// the expected form (exit 2).</exception>
    public static ISchedule Parse(string? every, string? anchor, string? tz, string? cron, DateTimeOffset origin)
    {
        if (every is null == cron is null)
            throw new ConfigException("schedule needs exactly one of --every INTERVAL or --cron EXPR");
        var zone = ParseZone(tz);
        if (cron is not null)
        {
            if (anchor is not null) throw new ConfigException("--anchor goes with --every, not with --cron (put the time in the cron expression)");
            return new CronSchedule(ParseCron(cron), cron.Trim(), zone);
        }
        var interval = ParseDuration(every!);
        if (anchor is null)
        {
            if (tz is not null) throw new ConfigException("--tz needs --anchor or --cron (a plain --every counts elapsed time)");
            return IntervalSchedule.Elapsed(interval, origin);
        }
        var time = ParseAnchor(anchor);
        if (!IntervalSchedule.CanAnchor(interval))
            throw new ConfigException($"--every {every} cannot be anchored: with --anchor the interval must divide a day (30m, 1h, 2h, 3h, 4h, 6h, 8h, 12h, 24h) or be whole days (2d, 7d)");
        return IntervalSchedule.Anchored(interval, time, zone, origin);
    }

    internal static TimeSpan ParseDuration(string text)
    {
        var m = DurationPattern().Match(text.Trim());
        if (text.Trim().Length == 0 || !m.Success)
            throw new ConfigException($"--every '{text}' is not a duration; expected {EveryForm}");
        long Part(int g) => m.Groups[g].Success ? long.Parse(m.Groups[g].Value, CultureInfo.InvariantCulture) : 0;
        TimeSpan value;
        try { value = TimeSpan.FromDays(Part(1)) + TimeSpan.FromHours(Part(2)) + TimeSpan.FromMinutes(Part(3)) + TimeSpan.FromSeconds(Part(4)); }
        catch (OverflowException) { throw new ConfigException($"--every '{text}' is too long; expected {EveryForm}"); }
        if (value < TimeSpan.FromSeconds(1))
            throw new ConfigException($"--every '{text}' must be at least 1s; expected {EveryForm}");
        return value;
    }

    internal static TimeOnly ParseAnchor(string text)
    {
        if (TimeOnly.TryParseExact(text.Trim(), ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var t))
            return t;
        throw new ConfigException($"--anchor '{text}' is not a time of day; expected {AnchorForm}");
    }

    internal static TimeZoneInfo ParseZone(string? tz)
    {
        if (string.IsNullOrWhiteSpace(tz)) return TimeZoneInfo.Local;
        try { return TimeZoneInfo.FindSystemTimeZoneById(tz.Trim()); }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new ConfigException($"--tz '{tz}' is not a known time zone; expected an IANA name such as Europe/Berlin or UTC");
        }
    }

    internal static CronExpression ParseCron(string text)
    {
        var trimmed = text.Trim();
        var fields = trimmed.Split(' ', '\t').Count(f => f.Length > 0);
        var format = trimmed.StartsWith('@') ? CronFormat.Standard
            : fields == 5 ? CronFormat.Standard
            : fields == 6 ? CronFormat.IncludeSeconds
            : throw new ConfigException($"--cron '{text}' has {fields} field(s); expected {CronForm}");
        try { return CronExpression.Parse(trimmed, format); }
        catch (CronFormatException e)
        {
            throw new ConfigException($"--cron '{text}' is not a cron expression ({e.Message.TrimEnd('.')}); expected {CronForm}");
        }
    }

    /// <summary>1h30m style, the inverse of <see cref="ParseDuration"/>.</summary>
    internal static string FormatDuration(TimeSpan span)
    {
        var sb = new StringBuilder();
        if (span.Days > 0) sb.Append(span.Days).Append('d');
        if (span.Hours > 0) sb.Append(span.Hours).Append('h');
        if (span.Minutes > 0) sb.Append(span.Minutes).Append('m');
        if (span.Seconds > 0 || sb.Length == 0) sb.Append(span.Seconds).Append('s');
        return sb.ToString();
    }
}
