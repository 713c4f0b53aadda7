using JiraSync.Errors;
using JiraSync.Scheduling;

namespace JiraSync.Tests.Operations;

/// <summary>Fire times of --every/--anchor and --cron, across the DST changes of 2026 (Europe/Berlin: 29 March
/// 02:00→03:00, 25 October 03:00→02:00; America/New_York: 8 March and 1 November at 02:00).</summary>
public class ScheduleTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    private static DateTimeOffset Utc(string s) => DateTimeOffset.Parse(s + "Z").ToUniversalTime();

    private static List<string> Fires(ISchedule schedule, DateTimeOffset from, int count, TimeZoneInfo zone)
    {
        var list = new List<string>();
        var t = from;
        for (var i = 0; i < count; i++)
        {
            t = schedule.NextAfter(t)!.Value;
            list.Add(TimeZoneInfo.ConvertTime(t, zone).ToString("MM-dd HH:mm zzz"));
        }
        return list;
    }

    [Fact]
    public void Daily_anchor_keeps_the_local_time_across_both_DST_changes()
    {
        var s = ScheduleParser.Parse("24h", "02:30", "Europe/Berlin", null, Utc("2026-03-27T00:00:00"));
        Assert.Equal(["03-27 02:30 +01:00", "03-28 02:30 +01:00", "03-29 03:30 +02:00", "03-30 02:30 +02:00"],
            Fires(s, Utc("2026-03-27T00:00:00"), 4, Berlin));
        // 02:30 happens twice on 25 October: a daily run happens once, at the first.
        Assert.Equal(["10-24 02:30 +02:00", "10-25 02:30 +02:00", "10-26 02:30 +01:00"],
            Fires(s, Utc("2026-10-23T12:00:00"), 3, Berlin));
    }

    [Fact]
    public void Six_hour_anchor_runs_at_the_same_wall_clock_times_every_day()
    {
        var s = ScheduleParser.Parse("6h", "02:00", "America/New_York", null, Utc("2026-03-07T00:00:00"));
        // 8 March: 02:00 does not exist; the run moves past the gap (03:00 EDT) and the others stay on the clock.
        Assert.Equal(["03-07 20:00 -05:00", "03-08 03:00 -04:00", "03-08 08:00 -04:00", "03-08 14:00 -04:00", "03-08 20:00 -04:00", "03-09 02:00 -04:00"],
            Fires(s, Utc("2026-03-07T20:00:00"), 6, NewYork));
    }

    [Fact]
    public void Hourly_anchor_keeps_one_hour_between_runs_through_the_repeated_hour()
    {
        var s = ScheduleParser.Parse("1h", "00:15", "Europe/Berlin", null, Utc("2026-10-24T00:00:00"));
        var fires = new List<DateTimeOffset>();
        var t = Utc("2026-10-24T23:00:00");   // 01:00 CEST
        for (var i = 0; i < 5; i++) fires.Add(t = s.NextAfter(t)!.Value);
        Assert.Equal(["10-25 01:15 +02:00", "10-25 02:15 +02:00", "10-25 02:15 +01:00", "10-25 03:15 +01:00", "10-25 04:15 +01:00"],
            fires.Select(f => TimeZoneInfo.ConvertTime(f, Berlin).ToString("MM-dd HH:mm zzz")));
        Assert.All(fires.Zip(fires.Skip(1)), p => Assert.Equal(TimeSpan.FromHours(1), p.Second - p.First));
    }

    [Fact]
    public void Whole_day_interval_counts_days_from_the_first_run()
    {
        var origin = Utc("2026-03-26T12:00:00");   // 13:00 in Berlin, after today's 09:00
        var s = ScheduleParser.Parse("2d", "09:00", "Europe/Berlin", null, origin);
        Assert.Equal(["03-27 09:00 +01:00", "03-29 09:00 +02:00", "03-31 09:00 +02:00"], Fires(s, origin, 3, Berlin));
    }

    [Fact]
    public void Plain_every_counts_elapsed_time_from_the_start()
    {
        var origin = Utc("2026-11-01T05:30:00");
        var s = ScheduleParser.Parse("1h30m", null, null, null, origin);
        Assert.Equal(origin, s.NextAfter(origin - TimeSpan.FromTicks(1)));
        Assert.Equal(origin.AddMilliseconds(30), s.First(origin.AddMilliseconds(30)));   // the scheduler starts a moment after parsing
        Assert.Equal(origin.AddMinutes(90), s.NextAfter(origin));
        Assert.Equal(origin.AddMinutes(180), s.NextAfter(origin.AddMinutes(100)));
    }

    [Fact]
    public void Cron_fire_times_across_DST_with_and_without_seconds()
    {
        var daily = ScheduleParser.Parse(null, null, "America/New_York", "30 2 * * *", default);
        Assert.Equal(["03-07 02:30 -05:00", "03-08 03:00 -04:00", "03-09 02:30 -04:00"],
            Fires(daily, Utc("2026-03-07T00:00:00"), 3, NewYork));
        // 01:30 happens twice on 1 November: a fixed-time job runs once, at the first.
        Assert.Equal(["11-01 01:30 -04:00", "11-02 01:30 -05:00"],
            Fires(ScheduleParser.Parse(null, null, "America/New_York", "30 1 * * *", default), Utc("2026-10-31T12:00:00"), 2, NewYork));
        var everyTenSeconds = ScheduleParser.Parse(null, null, "UTC", "*/10 * * * * *", default);
        Assert.Equal(Utc("2026-01-01T00:00:10"), everyTenSeconds.NextAfter(Utc("2026-01-01T00:00:00")));
    }

    [Fact]
    public void Cron_interval_fields_run_in_both_repeated_hours()
    {
        var s = ScheduleParser.Parse(null, null, "America/New_York", "0 * * * *", default);
        Assert.Equal(["11-01 01:00 -04:00", "11-01 01:00 -05:00", "11-01 02:00 -05:00"],
            Fires(s, Utc("2026-11-01T04:30:00"), 3, NewYork));
    }

    [Theory]
    [InlineData("1 hour", null, null, "--every '1 hour' is not a duration; expected a duration such as 30s, 15m, 1h, 1h30m or 1d")]
    [InlineData("0s", null, null, "must be at least 1s")]
    [InlineData("1h", "25:00", null, "--anchor '25:00' is not a time of day; expected a 24-hour time of day HH:MM")]
    [InlineData("1h", "2pm", null, "expected a 24-hour time of day HH:MM")]
    [InlineData("5h", "02:00", null, "--every 5h cannot be anchored")]
    [InlineData(null, null, "61 * * * *", "--cron '61 * * * *' is not a cron expression")]
    [InlineData(null, null, "* * *", "has 3 field(s); expected 5 fields")]
    public void Unparsable_values_are_config_errors_naming_the_expected_form(string? every, string? anchor, string? cron, string expected)
    {
        var e = Assert.Throws<ConfigException>(() => ScheduleParser.Parse(every, anchor, null, cron, DateTimeOffset.UtcNow));
        Assert.Contains(expected, e.Message);
        Assert.Equal(ExitCodes.BadUsage, e.ExitCode);
    }

    [Fact]
    public void Unknown_zone_and_both_or_neither_forms_are_refused()
    {
        Assert.Contains("--tz 'Mars/Olympus'", Assert.Throws<ConfigException>(() => ScheduleParser.Parse("1h", "01:00", "Mars/Olympus", null, default)).Message);
        Assert.Throws<ConfigException>(() => ScheduleParser.Parse("1h", null, null, "* * * * *", default));
        Assert.Throws<ConfigException>(() => ScheduleParser.Parse(null, null, null, null, default));
    }
}
