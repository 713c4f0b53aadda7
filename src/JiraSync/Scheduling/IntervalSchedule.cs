namespace JiraSync.Scheduling;

/// <summary>
/// `--every INTERVAL [--anchor HH:MM]`. Without an anchor, runs start at the origin (when the schedule began) and
/// every interval of elapsed time after it. With an anchor, this is Stitch's anchor scheduling: runs start at the
/// anchor time of day and every interval from it, on the wall clock of the zone, so a 6h schedule anchored at 02:00
/// runs at 02:00, 08:00, 14:00 and 20:00 local time on every day, summer and winter
/// (https://help.qlik.com/en-US/stitch/Content/replication/replication-scheduling/anchor-scheduling.htm).
/// Anchoring needs an interval that divides a day, or a whole number of days (then counted from the first run).
/// Across DST: a wall-clock time skipped by a spring-forward runs at the same distance after the gap (02:30 → 03:30);
/// a time repeated by a fall-back runs once, at its first occurrence, unless the interval is no longer than the
/// repeated hour, in which case it runs in both (so an hourly schedule keeps an hour between runs).
/// </summary>
internal sealed class IntervalSchedule : ISchedule
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    private readonly TimeSpan _interval;
    private readonly DateTimeOffset _origin;
    private readonly TimeOnly? _anchor;
    private readonly TimeZoneInfo _zone;
    private readonly TimeSpan[] _slots = [];     // anchored, sub-day: times of day of every run, sorted
    private readonly DateOnly _firstDay;         // anchored, whole days: local date of the first run

    private IntervalSchedule(TimeSpan interval, DateTimeOffset origin, TimeOnly? anchor, TimeZoneInfo zone)
    {
        if (interval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(interval));
        _interval = interval; _origin = origin; _anchor = anchor; _zone = zone;
        if (anchor is not { } a) return;
        if (interval <= Day)
        {
            var count = (int)(Day.Ticks / interval.Ticks);
            _slots = Enumerable.Range(0, count)
                .Select(k => TimeSpan.FromTicks((a.ToTimeSpan().Ticks + k * interval.Ticks) % Day.Ticks))
                .Order().ToArray();
        }
        else
        {
            // The first run is the first anchor time at or after the origin; later ones every N local days.
            var local = TimeZoneInfo.ConvertTime(origin, zone);
            var day = DateOnly.FromDateTime(local.DateTime);
            _firstDay = Instants(day.ToDateTime(a)).All(i => i < origin) ? day.AddDays(1) : day;
        }
    }

    /// <summary>True when <paramref name="interval"/> can be used with an anchor.</summary>
    public static bool CanAnchor(TimeSpan interval) =>
        interval > TimeSpan.Zero && (interval <= Day ? Day.Ticks % interval.Ticks == 0 : interval.Ticks % Day.Ticks == 0);

    /// <summary>Every <paramref name="interval"/> of elapsed time, the first run at <paramref name="origin"/>.</summary>
    public static IntervalSchedule Elapsed(TimeSpan interval, DateTimeOffset origin) => new(interval, origin, null, TimeZoneInfo.Utc);

    /// <summary>Anchored at a time of day in <paramref name="zone"/>; <paramref name="origin"/> matters only for
    /// whole-day intervals (which day counts as the first).</summary>
    public static IntervalSchedule Anchored(TimeSpan interval, TimeOnly anchor, TimeZoneInfo zone, DateTimeOffset origin)
    {
        if (!CanAnchor(interval)) throw new ArgumentException($"interval {interval} cannot be anchored", nameof(interval));
        return new(interval, origin, anchor, zone);
    }

    /// <summary>A plain --every runs as soon as the scheduler starts (the origin is when the command was parsed,
    /// a moment earlier); later runs keep the origin's rhythm.</summary>
    public DateTimeOffset? First(DateTimeOffset now) =>
        _anchor is null && now >= _origin ? now : NextAfter(now - TimeSpan.FromTicks(1));

    public DateTimeOffset? NextAfter(DateTimeOffset instant)
    {
        if (_anchor is null)
        {
            if (instant < _origin) return _origin;
            var k = (instant - _origin).Ticks / _interval.Ticks + 1;
            return _origin + TimeSpan.FromTicks(k * _interval.Ticks);
        }
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, _zone).DateTime);
        // Fire times on the day before through a few days after cover every offset a zone can have (±14h).
        return _slots.Length > 0 ? NextSubDay(instant, today) : NextWholeDays(instant, today);
    }

    private DateTimeOffset? NextSubDay(DateTimeOffset instant, DateOnly today)
    {
        for (var day = today.AddDays(-1); day <= today.AddDays(2); day = day.AddDays(1))
        {
            DateTimeOffset? best = null;
            foreach (var slot in _slots)
                foreach (var i in Instants(day.ToDateTime(TimeOnly.MinValue) + slot))
                    if (i > instant && (best is null || i < best)) best = i;
            if (best is not null) return best;
        }
        return null;
    }

    private DateTimeOffset? NextWholeDays(DateTimeOffset instant, DateOnly today)
    {
        var step = (int)(_interval.Ticks / Day.Ticks);
        var from = today.AddDays(-1);
        var behind = from.DayNumber - _firstDay.DayNumber;
        var day = behind <= 0 ? _firstDay : _firstDay.AddDays((behind + step - 1) / step * step);
        for (var n = 0; n < 4; n++, day = day.AddDays(step))
            foreach (var i in Instants(day.ToDateTime(_anchor!.Value)))
                if (i > instant) return i;
        return null;
    }

    /// <summary>The instants at which a wall-clock time happens in the zone: none is impossible here, because a
    /// skipped time is moved past the gap; two when a fall-back repeats it and the interval fits in the repeat.</summary>
    private IEnumerable<DateTimeOffset> Instants(DateTime local)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (_zone.IsInvalidTime(local))
        {
            // Interpret with the offset in force before the gap: 02:30 in a 02:00→03:00 gap becomes 03:30.
            var before = _zone.GetUtcOffset(local.AddDays(-1));
            yield return new DateTimeOffset(local - before, TimeSpan.Zero);
            yield break;
        }
        if (_zone.IsAmbiguousTime(local))
        {
            var offsets = _zone.GetAmbiguousTimeOffsets(local);
            var first = offsets.Max();
            var second = offsets.Min();
            yield return new DateTimeOffset(local - first, TimeSpan.Zero);
            if (_interval <= first - second) yield return new DateTimeOffset(local - second, TimeSpan.Zero);
            yield break;
        }
        yield return new DateTimeOffset(local - _zone.GetUtcOffset(local), TimeSpan.Zero);
    }

    public string Describe() => _anchor is { } a
        ? $"every {ScheduleParser.FormatDuration(_interval)} anchored at {a.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture)} {_zone.Id}"
        : $"every {ScheduleParser.FormatDuration(_interval)}";
}
