using System.Net.Http.Headers;

namespace JiraSync.Jira;

/// <summary>
/// Why Jira refused or warned, as it says in response headers rather than in the status and body:
/// <list type="bullet">
/// <item><c>X-Seraph-LoginReason</c> (Seraph, Jira's login filter: <c>AUTHENTICATED_FAILED</c>, <c>AUTHENTICATION_DENIED</c>,
/// <c>AUTHORISATION_FAILED</c>, <c>OUT</c>) and <c>X-Authentication-Denied-Reason</c> (<c>CAPTCHA_CHALLENGE; login-url=…</c>
/// after repeated failed logins) on 401/403: Atlassian's "Basic auth for REST APIs" pages for Server/DC and Cloud
/// (developer.atlassian.com/server/jira/platform/basic-authentication/);</item>
/// <item><c>RateLimit-Reason</c> on 429 (jira-api-notes.md §8: <c>jira-burst-based</c>, <c>jira-quota-tenant-based</c>,
/// <c>jira-quota-global-based</c>, <c>jira-per-issue-on-write</c>, historically <c>jira-cost-based</c>);</item>
/// <item>deprecation notices: <c>Deprecation</c> (RFC 9745), <c>Sunset</c> (RFC 8594) and <c>Warning: 299</c> (RFC 7234).</item>
/// </list>
/// </summary>
internal sealed record JiraResponseReasons(string? LoginReason, string? DeniedReason, string? RateLimitReason,
    string? Deprecation, string? Sunset, string? Warning)
{
    public static readonly JiraResponseReasons None = new(null, null, null, null, null, null);

    public static JiraResponseReasons From(HttpResponseHeaders headers)
    {
        string? One(string name) => headers.TryGetValues(name, out var v) ? string.Join(", ", v).Trim() is { Length: > 0 } s ? s : null : null;
        var warning = One("Warning");
        // Only "299" (miscellaneous persistent warning) carries a server's deprecation text; 1xx are cache notes.
        if (warning != null && !warning.StartsWith("299", StringComparison.Ordinal)) warning = null;
        return new JiraResponseReasons(One("X-Seraph-LoginReason"), One("X-Authentication-Denied-Reason"),
            One("RateLimit-Reason") ?? One("X-Beta-RateLimit-Reason"), One("Deprecation"), One("Sunset"), warning);
    }

    /// <summary>Jira says the login itself failed (rather than a permission being missing).</summary>
    public bool LoginRefused =>
        DeniedReason != null || LoginReason is { } r && (r.Contains("AUTHENTICATED_FAILED", StringComparison.OrdinalIgnoreCase)
                                                          || r.Contains("AUTHENTICATION_DENIED", StringComparison.OrdinalIgnoreCase));

    /// <summary>"login" when Jira denies the account itself (CAPTCHA, AUTHENTICATION_DENIED), else "credentials".</summary>
    public string RefusedWhat =>
        CaptchaRequired || LoginReason?.Contains("AUTHENTICATION_DENIED", StringComparison.OrdinalIgnoreCase) == true ? "login" : "credentials";

    /// <summary>Jira asks for a CAPTCHA before it accepts this account's password again.</summary>
    public bool CaptchaRequired => DeniedReason?.Contains("CAPTCHA", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>The login page Jira names in <c>X-Authentication-Denied-Reason: CAPTCHA_CHALLENGE; login-url=…</c>.</summary>
    public string? LoginUrl => DeniedReason?.Split(';').Select(p => p.Trim())
        .FirstOrDefault(p => p.StartsWith("login-url=", StringComparison.OrdinalIgnoreCase))?["login-url=".Length..];

    /// <summary>What the login refusal means and what to do, for a message after "Jira refused the login: ".</summary>
    public string LoginAdvice(string credentials) => CaptchaRequired
        ? $"after repeated failed logins Jira wants a CAPTCHA for this account; log in once in a browser{(LoginUrl is { } u ? " at " + u : "")} and answer it, then check {credentials}"
        : LoginReason?.Contains("AUTHENTICATION_DENIED", StringComparison.OrdinalIgnoreCase) == true
            ? $"Jira denies this account's login (X-Seraph-LoginReason AUTHENTICATION_DENIED: it may be locked, disabled or without Jira access); check {credentials} and the account with a Jira admin"
            : $"check {credentials}";

    /// <summary>What a 429's RateLimit-Reason means, or null without one.</summary>
    public string? RateLimitMeaning => RateLimitReason?.ToLowerInvariant() switch
    {
        null => null,
        "jira-burst-based" => "jira-burst-based: too many requests per second to this endpoint; lower max_concurrency if it recurs",
        "jira-quota-tenant-based" or "jira-quota-global-based" or "jira-quota-based" =>
            $"{RateLimitReason}: the hourly request quota is used up; the next run after it resets continues from the bookmarks",
        "jira-per-issue-on-write" => "jira-per-issue-on-write: too many writes to one issue",
        "jira-cost-based" => "jira-cost-based: the requests cost more than the site's budget; lower max_concurrency or page_size",
        var other => other,
    };

    /// <summary>True when the response says the endpoint is deprecated.</summary>
    public bool Deprecated => Deprecation != null || Sunset != null || Warning != null;

    /// <summary>One sentence about a deprecation notice, for a warning naming the endpoint.</summary>
    public string DeprecationNotice()
    {
        var parts = new List<string>();
        if (Sunset != null) parts.Add($"it stops working after {Sunset}");
        else if (Deprecation != null) parts.Add($"deprecated since {Deprecation}");
        if (Warning != null) parts.Add($"Jira says: {Warning}");
        return string.Join("; ", parts);
    }
}
