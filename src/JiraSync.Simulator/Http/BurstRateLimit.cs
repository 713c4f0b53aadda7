using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;

namespace JiraSync.Simulator.Http;

/// <summary>
/// The simulator's rate-limit mode (<see cref="SimulatorOptions.RateLimitPerSecond"/>): one token bucket for the
/// whole site, refilled in real time. Every API answer carries the budget headers Jira Cloud documents
/// (developer.atlassian.com/cloud/jira/platform/rate-limiting, "Rate limit response headers": X-RateLimit-Limit,
/// X-RateLimit-Remaining, and X-RateLimit-NearLimit: true when less than 20 % of the budget remains); an empty
/// bucket answers 429 with Retry-After and RateLimit-Reason: jira-burst-based (jira-api-notes.md §8).
/// </summary>
public sealed class BurstRateLimit : IDisposable
{
    private readonly TokenBucketRateLimiter _bucket;

    /// <summary>A token bucket refilled at <paramref name="perSecond"/> holding at most <paramref name="burst"/> requests.</summary>
    /// <param name="perSecond">Requests per second allowed on average.</param>
    /// <param name="burst">Requests allowed at once from a full bucket.</param>
    public BurstRateLimit(double perSecond, int burst)
    {
        Burst = Math.Max(1, burst);
        // Refill in steps of at most a tenth of a second's worth, so the budget recovers smoothly.
        var tokens = Math.Max(1, (int)Math.Round(perSecond / 10));
        _bucket = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = Burst, TokensPerPeriod = tokens, ReplenishmentPeriod = TimeSpan.FromSeconds(tokens / perSecond),
            AutoReplenishment = true, QueueLimit = 0,
        });
    }

    /// <summary>The bucket's size, sent as X-RateLimit-Limit.</summary>
    public int Burst { get; }

    /// <summary>Takes one request's token and sets the budget headers. False (with the headers of a 429 set and the
    /// seconds to wait) when the bucket is empty.</summary>
    public bool TryTake(HttpResponse response, out int retryAfterSeconds)
    {
        using var lease = _bucket.AttemptAcquire();
        var remaining = _bucket.GetStatistics()?.CurrentAvailablePermits ?? 0;
        response.Headers["X-RateLimit-Limit"] = Burst.ToString(CultureInfo.InvariantCulture);
        response.Headers["X-RateLimit-Remaining"] = remaining.ToString(CultureInfo.InvariantCulture);
        if (remaining < 0.2 * Burst) response.Headers["X-RateLimit-NearLimit"] = "true";
        retryAfterSeconds = 0;
        if (lease.IsAcquired) return true;
        retryAfterSeconds = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
        return false;
    }

    /// <summary>Releases the bucket's refill timer.</summary>
    public void Dispose() => _bucket.Dispose();
}
