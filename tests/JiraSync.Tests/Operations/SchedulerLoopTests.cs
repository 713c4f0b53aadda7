using JiraSync.Loading.Destinations;
using JiraSync.Errors;
using JiraSync.Logging;
using JiraSync.Runs;
using JiraSync.Scheduling;
using Microsoft.Extensions.Time.Testing;

namespace JiraSync.Tests.Operations;

/// <summary>The scheduler loop on a fake clock: when runs start, what happens to an overrunning run, failures, stop.</summary>
public class SchedulerLoopTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 28, 22, 10, 0, TimeSpan.Zero);

    /// <summary>A fake clock that knows when someone waits on it: a timer created and not yet fired.</summary>
    private sealed class WaitAwareClock(DateTimeOffset start) : FakeTimeProvider(start)
    {
        private int _waiting;
        /// <summary>Timers created and not yet fired.</summary>
        public int Waiting => Volatile.Read(ref _waiting);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            Interlocked.Increment(ref _waiting);
            var fired = 0;
            return base.CreateTimer(s =>
            {
                if (Interlocked.Exchange(ref fired, 1) == 0) Interlocked.Decrement(ref _waiting);
                callback(s);
            }, state, dueTime, period);
        }
    }

    /// <summary>Drives the fake clock forward a minute at a time until the loop ends, advancing only while the loop
    /// waits on the clock: a run that has just been released starts (and reads the clock) before time moves on, however
    /// slowly the machine schedules it.</summary>
    private static async Task<SchedulerResult> Drive(WaitAwareClock clock, Task<SchedulerResult> loop)
    {
        for (var i = 0; i < 100_000 && !loop.IsCompleted; i++)
        {
            var patience = System.Diagnostics.Stopwatch.StartNew();
            while (clock.Waiting == 0 && !loop.IsCompleted && patience.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(1);
            await Task.Delay(1);
            clock.Advance(TimeSpan.FromMinutes(1));
        }
        return await loop;
    }

    [Fact]
    public async Task Runs_start_at_the_anchor_times_and_an_overrun_skips_the_missed_starts_without_overlap()
    {
        var clock = new WaitAwareClock(Start);
        var log = new MemoryLog();
        var schedule = ScheduleParser.Parse("1h", "00:30", "Europe/Berlin", null, Start);
        var starts = new List<DateTimeOffset>();
        var running = 0;
        var maxConcurrent = 0;
        var loop = new Scheduler(schedule, clock, log).RunAsync(async ct =>
        {
            var now = Interlocked.Increment(ref running);
            maxConcurrent = Math.Max(maxConcurrent, now);
            starts.Add(clock.GetUtcNow());
            // The second run takes 2h40m: the starts at +1h and +2h are skipped.
            if (starts.Count == 2) clock.Advance(TimeSpan.FromMinutes(160));
            await Task.Yield();
            Interlocked.Decrement(ref running);
            return RunOutcome.Succeeded();
        }, maxRuns: 4, CancellationToken.None);
        var result = await Drive(clock, loop);

        // 22:10Z is 23:10 in Berlin: runs at 23:30, 00:30 (busy until 04:10 CEST: 01:30 and 03:30 are skipped, 02:30
        // does not exist that night), then 04:30 and 05:30.
        Assert.Equal(
            ["23:30 +01:00", "00:30 +01:00", "04:30 +02:00", "05:30 +02:00"],
            starts.Select(s => TimeZoneInfo.ConvertTime(s, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin")).ToString("HH:mm zzz")));
        Assert.Equal(1, maxConcurrent);
        Assert.Equal(4, result.Runs);
        Assert.Equal(2, result.SkippedStarts);
        Assert.Contains(log.Lines, l => l.StartsWith("WARNING the run took longer than the schedule allows: skipped 2 start(s)"));
        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public async Task A_failed_run_is_logged_and_the_schedule_goes_on()
    {
        var clock = new WaitAwareClock(Start);
        var log = new MemoryLog();
        var n = 0;
        var loop = new Scheduler(ScheduleParser.Parse("10m", null, null, null, Start), clock, log).RunAsync(_ =>
        {
            n++;
            if (n == 1) throw new AuthException("Jira refused the credentials (401) for https://jira.example.com/rest/api/2/myself");
            return Task.FromResult(n == 2 ? new RunOutcome(RunStatus.Failed, "stream issues failed", ExitCodes.RunFailed, "r2") : RunOutcome.Succeeded());
        }, maxRuns: 3, CancellationToken.None);
        var result = await Drive(clock, loop);

        Assert.Equal(3, result.Runs);
        Assert.Equal(2, result.Failed);
        Assert.Contains(log.Lines, l => l == "ERROR run failed: Jira refused the credentials (401) for https://jira.example.com/rest/api/2/myself");
        Assert.Contains(log.Lines, l => l == "ERROR run r2 failed: stream issues failed");
        Assert.Equal(ExitCodes.RunFailed, result.ExitCode);
    }

    [Fact]
    public async Task Stop_ends_the_wait_between_runs_at_once()
    {
        var clock = new WaitAwareClock(Start);
        using var stop = new CancellationTokenSource();
        var runs = 0;
        var loop = new Scheduler(ScheduleParser.Parse("1d", null, null, null, Start), clock, new MemoryLog()).RunAsync(_ =>
        {
            runs++;
            return Task.FromResult(RunOutcome.Succeeded());
        }, maxRuns: null, stop.Token);
        while (runs == 0) await Task.Delay(5);
        stop.Cancel();
        var result = await loop.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, result.Runs);
        Assert.True(result.StoppedBySignal);
    }

    [Fact]
    public async Task A_run_cancelled_by_the_signal_ends_the_schedule()
    {
        var clock = new WaitAwareClock(Start);
        using var stop = new CancellationTokenSource();
        var loop = new Scheduler(ScheduleParser.Parse("1m", null, null, null, Start), clock, new MemoryLog()).RunAsync(async ct =>
        {
            stop.Cancel();
            await Task.Delay(Timeout.Infinite, ct);
            return RunOutcome.Succeeded();
        }, maxRuns: 5, stop.Token);
        var result = await loop.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, result.Runs);
        Assert.Equal(RunStatus.Cancelled, result.Last!.Status);
        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public void The_destination_lock_is_exclusive_until_released()
    {
        var path = Path.Combine(Path.GetTempPath(), $"jirasync-lock-{Guid.NewGuid():N}", "dest.lock");
        using (var first = DestinationLock.TryAcquire(path))
        {
            Assert.NotNull(first);
            Assert.Null(DestinationLock.TryAcquire(path));
        }
        using var again = DestinationLock.TryAcquire(path);
        Assert.NotNull(again);
    }

    [Theory]
    [InlineData("50d", null, new[] { 0, 50 })]     // --every starts now, then every 50 days
    [InlineData(null, "0 0 1 1 *", new[] { 278 })] // yearly: 2027-01-01 00:00 Berlin is 278 days and 50 minutes after the start
    public async Task A_run_more_than_49_days_away_is_waited_for_and_starts_on_time(string? every, string? cron, int[] days)
    {
        var clock = new WaitAwareClock(Start);
        var schedule = ScheduleParser.Parse(every, null, cron is null ? null : "Europe/Berlin", cron, Start);
        var started = new List<DateTimeOffset>();
        var loop = new Scheduler(schedule, clock, new MemoryLog()).RunAsync(_ =>
        {
            started.Add(clock.GetUtcNow());
            return Task.FromResult(RunOutcome.Succeeded());
        }, maxRuns: days.Length, CancellationToken.None);
        // Six hours at a time: far coarser than the runs, far finer than the timer limit (about 49.7 days).
        for (var i = 0; i < 2000 && !loop.IsCompleted; i++)
        {
            await Task.Delay(1);
            clock.Advance(TimeSpan.FromHours(6));
        }
        Assert.True(loop.IsCompleted, $"runs started: {string.Join(", ", started)}");
        var result = await loop;
        Assert.Equal(days.Length, result.Runs);
        Assert.Equal(days.Length, started.Count);
        for (var r = 0; r < days.Length; r++) Assert.InRange((started[r] - Start).TotalDays, days[r] - 0.001, days[r] + 0.3);
    }
}
