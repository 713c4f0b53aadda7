namespace JiraSync.Jira;

/// <summary>
/// A shared "not before" instant: when Jira answers 429 (or a 503 with Retry-After) to one worker, every
/// worker of the client waits until then. Jira's limits are per site and user, so one worker retrying
/// alone while the others keep firing would only earn longer Retry-After values (jira-api-notes.md §8:
/// retrying early "will fail and return the same or longer Retry-After").
/// </summary>
/// <param name="time">The clock; the system clock when null (tests pass a fake one).</param>
public sealed class RateLimitGate(TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private long _notBeforeTicks; // UTC ticks; 0 = open

    /// <summary>Closes the gate until now + <paramref name="delay"/>, never shortening an existing pause.</summary>
    internal DateTimeOffset PauseFor(TimeSpan delay)
    {
        var until = _time.GetUtcNow() + delay;
        long seen;
        do
        {
            seen = Interlocked.Read(ref _notBeforeTicks);
            if (seen >= until.UtcTicks) return new DateTimeOffset(seen, TimeSpan.Zero);
        } while (Interlocked.CompareExchange(ref _notBeforeTicks, until.UtcTicks, seen) != seen);
        return until;
    }

    /// <summary>The time left before requests may be sent again (zero when open).</summary>
    public TimeSpan Remaining
    {
        get
        {
            var left = new DateTimeOffset(Interlocked.Read(ref _notBeforeTicks), TimeSpan.Zero) - _time.GetUtcNow();
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }
    }

    /// <summary>Waits until the gate is open; loops because another 429 may extend the pause meanwhile.
    /// Workers that were paused then start up to <see cref="Spread"/> apart, so the paused burst does not
    /// hit Jira in the same instant and earn the next 429.</summary>
    internal async Task WaitAsync(CancellationToken ct)
    {
        var paused = false;
        for (var left = Remaining; left > TimeSpan.Zero; left = Remaining)
        {
            paused = true;
            await Task.Delay(left, _time, ct).ConfigureAwait(false);
        }
        if (paused) await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(0, (int)Spread.TotalMilliseconds + 1)), _time, ct).ConfigureAwait(false);
    }

    /// <summary>The window over which paused workers resume.</summary>
    internal TimeSpan Spread { get; init; } = TimeSpan.FromMilliseconds(250);
}
