namespace JiraSync.Scheduling;

/// <summary>When scheduled runs start. Pure computation over instants, so it is tested with plain values
/// and the scheduler loop supplies the clock.</summary>
public interface ISchedule
{
    /// <summary>The first fire time strictly after <paramref name="instant"/>, or null when the schedule has no more
    /// (a cron expression such as "0 0 30 2 *" never fires).</summary>
    /// <param name="instant">Any instant (UTC or with an offset).</param>
    DateTimeOffset? NextAfter(DateTimeOffset instant);

    /// <summary>The first fire time for a scheduler starting at <paramref name="now"/>: a fire time at or after it.</summary>
    /// <param name="now">When the scheduler starts.</param>
    DateTimeOffset? First(DateTimeOffset now) => NextAfter(now - TimeSpan.FromTicks(1));

    /// <summary>One line for logs and --help output, e.g. "every 1h from 02:30 Europe/Berlin".</summary>
    string Describe();
}
