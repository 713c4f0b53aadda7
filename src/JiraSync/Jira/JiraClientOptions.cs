namespace JiraSync.Jira;

/// <summary>Retry and plumbing knobs of <see cref="JiraClient"/>; the defaults suit a real Jira site,
/// tests shrink the delays.</summary>
public sealed record JiraClientOptions
{
    /// <summary>Attempts per request when the server fails (5xx, timeout, dropped connection), first one included.
    /// tap-jira uses 6 (singer-io tap-jira http.py).</summary>
    public int MaxAttempts { get; init; } = 6;

    /// <summary>Attempts per request when Jira keeps answering 429; each waits what Jira asks.</summary>
    public int MaxRateLimitedAttempts { get; init; } = 10;

    /// <summary>First backoff delay; it doubles per attempt, with jitter, up to <see cref="MaxDelay"/>.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>Longest backoff delay between two attempts.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>429 without Retry-After or X-RateLimit-Reset: pause everyone this long.</summary>
    public TimeSpan DefaultRateLimitPause { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A Retry-After longer than this (an exhausted hourly quota) ends the request with an error
    /// instead of a silent hour-long sleep.</summary>
    public TimeSpan MaxRateLimitPause { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>OAuth token endpoint (tests point it at the simulator).</summary>
    public Uri? OAuthTokenUrl { get; init; }

    /// <summary>Emit a Singer METRIC line per HTTP request.</summary>
    public bool LogMetrics { get; init; } = true;

    /// <summary>The defaults above.</summary>
    public static JiraClientOptions Default { get; } = new();
}
