using JiraSync.Runs;
using JiraSync.Runs.Report;

namespace JiraSync.Tests.Operations;

public class RowUsageTests
{
    private static DateTimeOffset T(string s) => DateTimeOffset.Parse(s);

    private static RunStreamRecord S(string run, string stream, long ins, long upd, long del, string finished) => new()
    {
        RunId = run, Stream = stream, RowsInserted = ins, RowsUpdated = upd, RowsDeleted = del, RecordsExtracted = ins + upd + 99,
        FinishedAt = T(finished),
    };

    [Fact]
    public void Rows_are_counted_per_table_per_UTC_day_and_month_to_date()
    {
        var runs = new[] { "a", "b", "c", "d" }.Select(id => new RunRecord { RunId = id, StartedAt = T("2026-10-31T23:00:00Z") }).ToList();
        var streams = new[]
        {
            S("a", "issues", 100, 0, 0, "2026-10-31T23:59:59Z"),       // last month: only in the per-day window
            S("b", "issues", 10, 5, 1, "2026-11-01T00:00:00Z"),
            S("b", "projects", 3, 0, 0, "2026-11-01T00:00:01Z"),
            S("c", "issues", 0, 7, 0, "2026-11-03T12:00:00+05:00"),   // 07:00 UTC on the 3rd
            S("d", "projects", 0, 0, 0, "2026-11-03T13:00:00Z"),       // wrote nothing: not a usage row
        };
        var usage = RowUsage.Compute(runs, streams, T("2026-11-03T20:00:00Z"), days: 7);

        Assert.Equal(new DateOnly(2026, 11, 3), usage.Today);
        Assert.Equal(
            [("10-31", "issues", 100L), ("11-01", "issues", 16L), ("11-01", "projects", 3L), ("11-03", "issues", 7L)],
            usage.Days.Select(d => (d.Date.ToString("MM-dd"), d.Stream, d.Rows)));
        Assert.Equal([("issues", 23L), ("projects", 3L)], usage.MonthToDate.Select(t => (t.Stream, t.Rows)));
        Assert.Equal(26, usage.MonthTotal);
        Assert.Equal(T("2026-10-28T00:00:00Z"), RowUsage.Since(T("2026-11-03T20:00:00Z"), 7));
    }

    [Theory]
    [InlineData(0, 1, 4)]
    [InlineData(7, 2, 8)]
    [InlineData(78_000, 20_000, 80_000)]
    [InlineData(3, 1, 3)]
    public void Chart_axes_use_round_steps(double max, double step, double top) =>
        Assert.Equal((step, top), SvgBarChart.Scale(max));
}
