using Cronos;

namespace JiraSync.Scheduling;

/// <summary>A cron expression evaluated in a time zone by Cronos, which handles DST the way cron users expect:
/// a time skipped by a spring-forward runs right after the gap, a fixed time repeated by a fall-back runs once,
/// and interval fields (*/15) run in both repeated hours (https://github.com/HangfireIO/Cronos, "Daylight Saving Time").</summary>
internal sealed class CronSchedule(CronExpression expression, string text, TimeZoneInfo zone) : ISchedule
{
    public DateTimeOffset? NextAfter(DateTimeOffset instant) => expression.GetNextOccurrence(instant, zone, inclusive: false);

    public string Describe() => $"cron '{text}' in {zone.Id}";
}
