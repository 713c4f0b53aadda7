using System.Globalization;
using System.Net.Http.Headers;

namespace JiraSync.Jira;

/// <summary>How long Jira asks us to wait, from the headers of a 429 or 503.</summary>
internal static class RetryAfter
{
    /// <summary>At least one second even when Jira says 0: "Retry-After: 0" means "soon", and retrying at once
    /// almost surely earns another 429 (what-users-ask.md A1).</summary>
    public static readonly TimeSpan Minimum = TimeSpan.FromSeconds(1);

    /// <summary>Retry-After as seconds or an HTTP date; else X-RateLimit-Reset, which Jira Cloud sends as ISO 8601
    /// "yyyy-MM-ddTHH:mmZ" (jira-api-notes.md §8, JRACLOUD-69262). Null when neither is present or readable.</summary>
    public static TimeSpan? From(HttpResponseHeaders headers, DateTimeOffset now)
    {
        if (headers.RetryAfter is { } retryAfter)
        {
            if (retryAfter.Delta is { } delta) return Max(delta, Minimum);
            if (retryAfter.Date is { } date) return Max(date - now, Minimum);
        }
        else if (headers.TryGetValues("Retry-After", out var raw) &&
                 double.TryParse(raw.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
        {
            // Fractional seconds are not valid HTTP, but a lenient server may send them.
            return Max(TimeSpan.FromSeconds(seconds), Minimum);
        }
        if (headers.TryGetValues("X-RateLimit-Reset", out var reset))
        {
            var text = reset.FirstOrDefault()?.Trim();
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
                return Max(at - now, Minimum);
        }
        return null;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
