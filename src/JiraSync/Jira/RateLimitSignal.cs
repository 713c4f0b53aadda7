using System.Globalization;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace JiraSync.Jira;

/// <summary>What one answer says about Jira's rate-limit budget.</summary>
public enum RateLimitSignal
{
    /// <summary>A successful answer with no sign of a budget running low.</summary>
    Clean,
    /// <summary>The budget is nearly spent (fewer than a fifth of its requests left): slow down before a 429.</summary>
    NearLimit,
    /// <summary>429: over the limit.</summary>
    Limited,
    /// <summary>Anything else (5xx, no answer, 4xx): says nothing about the budget.</summary>
    Neutral,
}

/// <summary>Reads Jira's rate-limit headers into a <see cref="RateLimitSignal"/>.</summary>
/// <remarks>Header reference: developer.atlassian.com/cloud/jira/platform/rate-limiting ("Rate limit response
/// headers"): <c>X-RateLimit-Limit</c>, <c>X-RateLimit-Remaining</c>, <c>X-RateLimit-NearLimit: true</c> when
/// less than 20 % of the budget is left, <c>RateLimit-Reason</c>; for the points-based quotas of 2026 the
/// <c>Beta-RateLimit-Policy: "…";q=QUOTA;w=WINDOW</c> and <c>Beta-RateLimit: "…";r=REMAINING;t=SECONDS</c> pair and
/// <c>X-Beta-RateLimit-NearLimit</c> (jira-api-notes.md §8). Jira Data Center's rate limiting sends
/// <c>X-RateLimit-Limit</c>/<c>X-RateLimit-Remaining</c> as well (confluence "Adjusting your code for rate
/// limiting"). Not every 429 carries NearLimit (JRACLOUD-83791), so 429 alone is enough.</remarks>
internal static partial class RateLimitSignals
{
    /// <summary>The share of the budget below which an answer counts as near the limit (Atlassian's NearLimit threshold).</summary>
    public const double NearLimitShare = 0.2;

    /// <summary>Classifies one answer by its status and headers.</summary>
    public static RateLimitSignal From(int status, HttpResponseHeaders headers)
    {
        if (status == 429) return RateLimitSignal.Limited;
        if (status is < 200 or >= 300) return RateLimitSignal.Neutral;
        if (IsTrue(headers, "X-RateLimit-NearLimit") || IsTrue(headers, "X-Beta-RateLimit-NearLimit")) return RateLimitSignal.NearLimit;
        if (Number(headers, "X-RateLimit-Remaining") is { } remaining && Number(headers, "X-RateLimit-Limit") is { } limit && limit > 0
            && remaining < NearLimitShare * limit)
            return RateLimitSignal.NearLimit;
        if (Parameter(headers, "Beta-RateLimit", "r") is { } left && Parameter(headers, "Beta-RateLimit-Policy", "q") is { } quota && quota > 0
            && left < NearLimitShare * quota)
            return RateLimitSignal.NearLimit;
        return RateLimitSignal.Clean;
    }

    private static bool IsTrue(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) && values.Any(v => v.Trim().Equals("true", StringComparison.OrdinalIgnoreCase));

    private static double? Number(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) &&
        double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>A numeric parameter of a structured header such as <c>"tenant-app-quota";r=17842;t=2107</c>.</summary>
    private static double? Parameter(HttpResponseHeaders headers, string name, string parameter)
    {
        if (!headers.TryGetValues(name, out var values)) return null;
        foreach (Match m in ParameterPattern().Matches(string.Join(',', values)))
            if (m.Groups[1].Value == parameter && double.TryParse(m.Groups[2].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
                return n;
        return null;
    }

    [GeneratedRegex(@";\s*([a-z]+)=([0-9.]+)")]
    private static partial Regex ParameterPattern();
}
