using JiraSync.Jira;
using JiraSync.Runs;
using Microsoft.Extensions.Time.Testing;

namespace JiraSync.Tests.Operations;

/// <summary>The unit clock with units running at the same time: each unit's requests are the ones made in its own async
/// flow, its window runs from its start to its end, and how it ended is kept.</summary>
public class UnitClockTests
{
    [Fact]
    public async Task Concurrent_units_each_get_their_own_requests_and_window()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));
        var clock = new UnitClock(time);
        var client = new JiraClientMetrics();   // the one client every unit shares
        var bothStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var advanced = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = 0;

        async Task Unit(string name, int requests, Exception? error)
        {
            await Task.Yield();
            clock.UnitStarted(name);
            if (Interlocked.Increment(ref started) == 2) bothStarted.SetResult();
            await bothStarted.Task;   // both in flight before either counts a request
            for (var i = 0; i < requests; i++)
            {
                client.CountRequest();
                client.CountBytes(100);
                await Task.Yield();
            }
            if (error is null) client.CountRetry();
            await advanced.Task;   // the clock has moved 2 s
            clock.UnitFinished(name, error);
        }

        var failure = new InvalidOperationException("boom");
        var a = Task.Run(() => Unit("issues", 7, null));
        var b = Task.Run(() => Unit("users", 3, failure));
        await bothStarted.Task;
        time.Advance(TimeSpan.FromSeconds(2));
        advanced.SetResult();
        await Task.WhenAll(a, b);
        client.CountRequest();   // outside any unit (the instance probe): the run's total only

        var windows = clock.Finish();
        Assert.Equal((7L, 1L, 700L), (windows["issues"].Requests, windows["issues"].Retries, windows["issues"].Bytes));
        Assert.Equal((3L, 0L, 300L), (windows["users"].Requests, windows["users"].Retries, windows["users"].Bytes));
        Assert.Equal(11L, client.Requests);
        Assert.Equal(TimeSpan.FromSeconds(2), windows["issues"].Duration);
        Assert.Null(windows["issues"].Error);
        Assert.Same(failure, windows["users"].Error);
    }
}
