using System.Globalization;
using JiraSync.Errors;
using JiraSync.Logging;
using JiraSync.Runs;

namespace JiraSync.Scheduling;

/// <summary>
/// Runs a job at the fire times of an <see cref="ISchedule"/>, one run at a time. A run that overruns its slot makes
/// the scheduler skip the starts it missed (and say so) rather than start late runs back to back; a failed run is
/// logged and the schedule goes on (a password change must not need a restart). The clock is a
/// <see cref="TimeProvider"/> so tests drive it with a fake one.
/// </summary>
/// <param name="schedule">When runs start (<see cref="ScheduleParser.Parse"/>).</param>
/// <param name="clock">The clock to wait on (<see cref="TimeProvider.System"/> outside tests).</param>
/// <param name="log">Receives the "next run at" and skipped-start lines.</param>
public sealed class Scheduler(ISchedule schedule, TimeProvider clock, ILog log)
{
    /// <summary>The longest single timer wait: .NET timers take at most 2^32-2 ms (about 49.7 days), so a run further
    /// away (--every 50d, a yearly cron) is waited for in chunks.</summary>
    public static readonly TimeSpan MaxTimerWait = TimeSpan.FromDays(1);

    /// <summary>Waits for each fire time and runs <paramref name="job"/>, until <paramref name="maxRuns"/> runs, a
    /// signal, a cancelled run or a schedule with no further fire time. A failed or throwing run is logged and
    /// counted, never thrown.</summary>
    /// <param name="job">One run. It receives <paramref name="stop"/>: on a signal it should finish the batch in
    /// flight, record itself as cancelled and return.</param>
    /// <param name="maxRuns">Stop after this many runs (null: until stopped).</param>
    /// <param name="stop">Cancelled by SIGINT/SIGTERM: ends the wait between runs at once.</param>
    /// <returns>Runs, failures, skipped starts and the last run's outcome (its exit code decides the process's).</returns>
    public async Task<SchedulerResult> RunAsync(Func<CancellationToken, Task<RunOutcome>> job, int? maxRuns, CancellationToken stop)
    {
        int runs = 0, failed = 0, skipped = 0;
        RunOutcome? last = null;
        log.Info($"schedule: {schedule.Describe()}{(maxRuns is { } m ? $", at most {m} run(s)" : "")}");
        var next = schedule.First(clock.GetUtcNow());
        while (next is { } fireAt && (maxRuns is null || runs < maxRuns) && !stop.IsCancellationRequested)
        {
            var wait = fireAt - clock.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                log.Info($"next run at {Show(fireAt)} (in {ScheduleParser.FormatDuration(Round(wait))})");
                try
                {
                    // In chunks (see MaxTimerWait), reading the clock again after each.
                    for (var left = wait; left > TimeSpan.Zero; left = fireAt - clock.GetUtcNow())
                        await Task.Delay(left < MaxTimerWait ? left : MaxTimerWait, clock, stop);
                }
                catch (OperationCanceledException) { break; }
            }

            last = await RunOneAsync(job, stop);
            runs++;
            if (last.Status == RunStatus.Failed) failed++;
            if (last.Status == RunStatus.Cancelled || stop.IsCancellationRequested) break;

            next = schedule.NextAfter(fireAt);
            var now = clock.GetUtcNow();
            var missed = 0;
            DateTimeOffset? firstMissed = null;
            // Bounded so a tiny interval after a very long run cannot spin for long; the rest are skipped in one jump.
            while (next is { } n && n <= now && missed < 100_000)
            {
                firstMissed ??= n;
                missed++;
                next = schedule.NextAfter(n);
            }
            if (missed > 0)
            {
                skipped += missed;
                log.Warn($"the run took longer than the schedule allows: skipped {missed} start(s) from {Show(firstMissed!.Value)}"
                         + (next is { } nn ? $"; next run at {Show(nn)}" : ""));
            }
        }
        if (next is null && !stop.IsCancellationRequested) log.Warn($"schedule: {schedule.Describe()} has no further fire time");
        var result = new SchedulerResult(runs, failed, skipped, stop.IsCancellationRequested, last);
        log.Info($"schedule finished: {runs} run(s), {failed} failed, {skipped} start(s) skipped"
                 + (result.StoppedBySignal ? ", stopped by signal" : ""));
        return result;
    }

    private async Task<RunOutcome> RunOneAsync(Func<CancellationToken, Task<RunOutcome>> job, CancellationToken stop)
    {
        try
        {
            var outcome = await job(stop);
            if (outcome.Status == RunStatus.Failed) log.Error($"run {outcome.RunId} failed: {outcome.Error}");
            return outcome;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return new RunOutcome(RunStatus.Cancelled, "stopped by signal");
        }
        catch (JiraSyncException e)
        {
            // A run recorded in the history has logged its "run … failed" line already: once is enough.
            if (RunRecorder.RecordedRunId(e) is null) log.Error($"run failed: {e.Message}");
            return new RunOutcome(RunStatus.Failed, e.Message, e.ExitCode, RunRecorder.RecordedRunId(e));
        }
        catch (Exception e)
        {
            // The schedule outlives one bad run; the reason is logged in one line like every other error.
            if (RunRecorder.RecordedRunId(e) is null) log.Error($"run failed: {e.GetType().Name}: {e.Message}");
            return new RunOutcome(RunStatus.Failed, $"{e.GetType().Name}: {e.Message}", ExitCodes.RunFailed, RunRecorder.RecordedRunId(e));
        }
    }

    private static TimeSpan Round(TimeSpan t) => TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(t.TotalSeconds)));

    private static string Show(DateTimeOffset t) => t.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture);
}
