using System.Net.Http.Headers;
using JiraSync.Jira;
using Microsoft.Extensions.Time.Testing;

namespace JiraSync.Tests.Jira;

/// <summary>The concurrency controller, step by step: halve on 429 or a nearly spent budget (once per burst),
/// add one after a limit's worth of clean answers, never above max_concurrency or below 1.</summary>
public class AdaptiveConcurrencyTests
{
    private static long Take(AdaptiveConcurrency c)
    {
        var t = c.AcquireAsync(CancellationToken.None);
        Assert.True(t.IsCompleted, "a slot under the limit is granted at once");
        return t.Result;
    }

    [Fact]
    public void Starts_at_max_concurrency_and_halves_on_a_429()
    {
        var c = new AdaptiveConcurrency(8);
        Assert.Equal(8, c.Limit);
        c.Release(Take(c), RateLimitSignal.Limited);
        Assert.Equal(4, c.Limit);
        c.Release(Take(c), RateLimitSignal.NearLimit);
        Assert.Equal(2, c.Limit);
        c.Release(Take(c), RateLimitSignal.Limited);
        c.Release(Take(c), RateLimitSignal.Limited);
        Assert.Equal(1, c.Limit); // never below one
        Assert.Equal(1, c.Lowest);
    }

    [Fact]
    public void Answers_to_requests_already_in_flight_when_it_dropped_count_once()
    {
        var c = new AdaptiveConcurrency(8);
        var tickets = Enumerable.Range(0, 8).Select(_ => Take(c)).ToArray();
        foreach (var t in tickets) c.Release(t, RateLimitSignal.Limited); // eight workers told at once
        Assert.Equal(4, c.Limit);
        // A request sent after the decrease may decrease again.
        c.Release(Take(c), RateLimitSignal.Limited);
        Assert.Equal(2, c.Limit);
    }

    [Fact]
    public void Rises_by_one_after_as_many_clean_answers_as_the_limit_up_to_max()
    {
        var c = new AdaptiveConcurrency(4);
        c.Release(Take(c), RateLimitSignal.Limited);
        Assert.Equal(2, c.Limit);
        c.Release(Take(c), RateLimitSignal.Clean);
        Assert.Equal(2, c.Limit);
        c.Release(Take(c), RateLimitSignal.Clean);
        Assert.Equal(3, c.Limit);
        for (var i = 0; i < 3; i++) c.Release(Take(c), RateLimitSignal.Clean);
        Assert.Equal(4, c.Limit);
        for (var i = 0; i < 20; i++) c.Release(Take(c), RateLimitSignal.Clean);
        Assert.Equal(4, c.Limit);
        Assert.Equal(new[] { 4, 2, 3, 4 }, c.History.Select(h => h.Limit));
    }

    [Fact]
    public void Neutral_answers_neither_raise_nor_lower_and_a_signal_resets_the_clean_run()
    {
        var c = new AdaptiveConcurrency(8);
        c.Release(Take(c), RateLimitSignal.Limited); // 4
        for (var i = 0; i < 3; i++) c.Release(Take(c), RateLimitSignal.Clean);
        c.Release(Take(c), RateLimitSignal.Neutral);
        Assert.Equal(4, c.Limit);
        c.Release(Take(c), RateLimitSignal.Clean); // the fourth clean one
        Assert.Equal(5, c.Limit);
    }

    [Fact]
    public async Task Waiters_beyond_the_limit_start_in_order_as_slots_free()
    {
        var c = new AdaptiveConcurrency(2);
        var a = Take(c);
        c.Release(a, RateLimitSignal.Limited); // limit 1
        var b = Take(c);
        var second = c.AcquireAsync(CancellationToken.None);
        var third = c.AcquireAsync(CancellationToken.None);
        Assert.False(second.IsCompleted);
        c.Release(b, RateLimitSignal.Neutral);
        Assert.True(second.IsCompleted);
        Assert.False(third.IsCompleted);
        c.Release(await second, RateLimitSignal.Neutral);
        Assert.True((await third) > 0);
    }

    [Fact]
    public async Task A_bulk_read_waits_behind_every_other_waiting_request_and_takes_a_free_slot_when_none_waits()
    {
        var c = new AdaptiveConcurrency(1);
        var held = Take(c);
        var bulk1 = c.AcquireAsync(CancellationToken.None, bulk: true);
        var bulk2 = c.AcquireAsync(CancellationToken.None, bulk: true);
        var shortOne = c.AcquireAsync(CancellationToken.None); // arrives last, goes first
        c.Release(held, RateLimitSignal.Neutral);
        Assert.True(shortOne.IsCompleted);
        Assert.False(bulk1.IsCompleted);
        c.Release(await shortOne, RateLimitSignal.Neutral);
        Assert.True(bulk1.IsCompleted);
        Assert.False(bulk2.IsCompleted); // bulk reads keep their own arrival order
        c.Release(await bulk1, RateLimitSignal.Neutral);
        c.Release(await bulk2, RateLimitSignal.Neutral);
        Assert.True(c.AcquireAsync(CancellationToken.None, bulk: true).IsCompleted); // nothing waits: a free slot is taken at once
    }

    [Fact]
    public async Task A_cancelled_waiter_gives_up_its_place()
    {
        var c = new AdaptiveConcurrency(1);
        var held = Take(c);
        using var cts = new CancellationTokenSource();
        var waiting = c.AcquireAsync(cts.Token).AsTask();
        var next = c.AcquireAsync(CancellationToken.None);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        c.Release(held, RateLimitSignal.Neutral);
        Assert.True(next.IsCompleted);
    }

    [Fact]
    public void History_records_when_and_why()
    {
        var clock = new FakeTimeProvider();
        var c = new AdaptiveConcurrency(4, clock);
        clock.Advance(TimeSpan.FromSeconds(3));
        c.Release(Take(c), RateLimitSignal.Limited);
        var last = c.History[^1];
        Assert.Equal((TimeSpan.FromSeconds(3), 2, "429 Too Many Requests"), (last.At, last.Limit, last.Reason));
    }

    private static HttpResponseHeaders Headers(params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage();
        foreach (var (name, value) in headers) response.Headers.TryAddWithoutValidation(name, value);
        return response.Headers;
    }

    [Theory]
    [InlineData(429, "", "", RateLimitSignal.Limited)]
    [InlineData(200, "", "", RateLimitSignal.Clean)]
    [InlineData(503, "", "", RateLimitSignal.Neutral)]
    [InlineData(200, "X-RateLimit-NearLimit", "true", RateLimitSignal.NearLimit)]
    [InlineData(200, "X-Beta-RateLimit-NearLimit", "TRUE", RateLimitSignal.NearLimit)]
    [InlineData(200, "X-RateLimit-NearLimit", "false", RateLimitSignal.Clean)]
    public void Signals_from_status_and_flags(int status, string name, string value, RateLimitSignal expected) =>
        Assert.Equal(expected, RateLimitSignals.From(status, name == "" ? Headers() : Headers((name, value))));

    [Fact]
    public void Remaining_under_a_fifth_of_the_limit_is_near_the_limit()
    {
        Assert.Equal(RateLimitSignal.NearLimit, RateLimitSignals.From(200, Headers(("X-RateLimit-Limit", "100"), ("X-RateLimit-Remaining", "19"))));
        Assert.Equal(RateLimitSignal.Clean, RateLimitSignals.From(200, Headers(("X-RateLimit-Limit", "100"), ("X-RateLimit-Remaining", "20"))));
        // Points-based quota headers as seen on Cloud in 2026 (jira-api-notes.md §8).
        Assert.Equal(RateLimitSignal.NearLimit, RateLimitSignals.From(200, Headers(
            ("Beta-RateLimit-Policy", "\"tenant-app-quota\";q=100100;w=3600"), ("Beta-RateLimit", "\"tenant-app-quota\";r=17842;t=2107"))));
        Assert.Equal(RateLimitSignal.Clean, RateLimitSignals.From(200, Headers(
            ("Beta-RateLimit-Policy", "\"tenant-app-quota\";q=100100;w=3600"), ("Beta-RateLimit", "\"tenant-app-quota\";r=50000;t=2107"))));
    }
}
