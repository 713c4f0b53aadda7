namespace JiraSync.Runs;

/// <summary>
/// Rows loaded per table per day and month to date, the figures Stitch bills by. A row counts each time a run
/// writes it (insert, update, or marking it deleted), so a table re-read every run costs every run: the point is
/// to show which tables cost the most. Days are UTC days, like the timestamps stored.
/// </summary>
/// <param name="Today">The UTC day usage was computed on.</param>
/// <param name="Days">Per-day rows of the last days (today included), by date then stream.</param>
/// <param name="MonthToDate">Rows per table since the first of this month, most rows first.</param>
public sealed record RowUsage(DateOnly Today, IReadOnlyList<RowUsage.Day> Days, IReadOnlyList<RowUsage.Table> MonthToDate)
{
    /// <summary>Rows one stream loaded on one UTC day.</summary>
    /// <param name="Date">The UTC day the stream finished.</param>
    /// <param name="Stream">The stream (and table) name.</param>
    /// <param name="Rows">Rows inserted, updated or marked deleted that day.</param>
    public sealed record Day(DateOnly Date, string Stream, long Rows);

    /// <summary>Rows one stream loaded in the month to date.</summary>
    /// <param name="Stream">The stream (and table) name.</param>
    /// <param name="Rows">Rows inserted, updated or marked deleted this month.</param>
    public sealed record Table(string Stream, long Rows);

    /// <summary>Rows loaded over all tables this month to date.</summary>
    public long MonthTotal => MonthToDate.Sum(t => t.Rows);

    /// <summary>The first instant that must be read to compute usage for <paramref name="days"/> days and the month.</summary>
    internal static DateTimeOffset Since(DateTimeOffset now, int days)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var first = new DateOnly(today.Year, today.Month, 1);
        var from = today.AddDays(1 - days) < first ? today.AddDays(1 - days) : first;
        return new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
    }

    internal static RowUsage Compute(IEnumerable<RunRecord> runs, IEnumerable<RunStreamRecord> streams, DateTimeOffset now, int days = 14)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var started = runs.ToDictionary(r => r.RunId, r => r.StartedAt);
        var dated = streams
            .Where(s => s.RowsLoaded > 0)
            .Select(s => (Date: DateOnly.FromDateTime((s.FinishedAt ?? started.GetValueOrDefault(s.RunId)).UtcDateTime), s.Stream, s.RowsLoaded))
            .ToList();
        var firstDay = today.AddDays(1 - days);
        var perDay = dated.Where(d => d.Date >= firstDay && d.Date <= today)
            .GroupBy(d => (d.Date, d.Stream))
            .Select(g => new Day(g.Key.Date, g.Key.Stream, g.Sum(d => d.RowsLoaded)))
            .OrderBy(d => d.Date).ThenBy(d => d.Stream, StringComparer.Ordinal).ToList();
        var month = dated.Where(d => d.Date.Year == today.Year && d.Date.Month == today.Month && d.Date <= today)
            .GroupBy(d => d.Stream)
            .Select(g => new Table(g.Key, g.Sum(d => d.RowsLoaded)))
            .OrderByDescending(t => t.Rows).ThenBy(t => t.Stream, StringComparer.Ordinal).ToList();
        return new RowUsage(today, perDay, month);
    }
}
