namespace JiraSync.Simulator.Control;

/// <summary>What an injected fault answers: 429, 503, 500, a malformed body, a dropped connection, a CAPTCHA
/// login denial, a deprecation header, 403 or 404 (see docs/simulator.md).</summary>
public enum FaultKind { RateLimited, ServiceUnavailable, ServerError, Malformed, Dropped, CaptchaChallenge, DeprecationNotice, Forbidden, NotFound }

/// <summary>How a malformed response is broken: an HTML page where JSON was expected (a proxy or
/// login page with status 200), or a JSON body cut off halfway.</summary>
public enum MalformedKind { HtmlPage, TruncatedJson }

/// <summary>One queued fault.</summary>
/// <param name="Kind">What it answers.</param>
/// <param name="PathPrefix">Only requests whose path starts with this (null: any API request).</param>
/// <param name="RetryAfterSeconds">Retry-After header value in seconds (429, 503).</param>
/// <param name="Malformed">The body shape when <paramref name="Kind"/> is Malformed.</param>
public sealed record Fault(FaultKind Kind, string? PathPrefix, int RetryAfterSeconds, MalformedKind Malformed)
{
    /// <summary>RateLimit-Reason of a 429 (default jira-burst-based).</summary>
    public string? Reason { get; init; }
}

/// <summary>Queued failures, consumed one per matching API request in the order they were queued.
/// Thread-safe; the control surface itself is never faulted.</summary>
public sealed class FaultInjector
{
    private readonly object _sync = new();
    private readonly List<(Fault Fault, int Remaining)> _queue = [];

    /// <summary>The next <paramref name="count"/> API requests answer 429 with Retry-After and X-RateLimit-* headers.</summary>
    /// <param name="count">How many requests.</param>
    /// <param name="retryAfterSeconds">Retry-After, seconds.</param>
    /// <param name="pathPrefix">Only requests whose path starts with this (null: any).</param>
    /// <param name="reason">The RateLimit-Reason header (Atlassian: jira-burst-based, jira-quota-global-based, …).</param>
    public void Next429(int count = 1, int retryAfterSeconds = 1, string? pathPrefix = null, string reason = "jira-burst-based") =>
        Add(new Fault(FaultKind.RateLimited, pathPrefix, retryAfterSeconds, default) { Reason = reason }, count);

    /// <summary>The next <paramref name="count"/> API requests answer as Jira does once an account has failed to log in
    /// too often: 403 with <c>X-Seraph-LoginReason: AUTHENTICATION_DENIED</c> and
    /// <c>X-Authentication-Denied-Reason: CAPTCHA_CHALLENGE; login-url=…</c> (Atlassian, "Basic authentication" for Jira
    /// Server/DC: a CAPTCHA is required after several failed logins and REST calls are refused until it is answered).</summary>
    public void NextCaptchaChallenge(int count = 1, string? pathPrefix = null) =>
        Add(new Fault(FaultKind.CaptchaChallenge, pathPrefix, 0, default), count);

    /// <summary>The next <paramref name="count"/> requests under <paramref name="pathPrefix"/> answer 403 with Jira's
    /// ErrorCollection and no login headers: the user is logged in but lacks a permission (a project list or users
    /// search an ordinary account may not read; OpenAPI "Permissions required" sections).</summary>
    public void NextForbidden(string pathPrefix, int count = 1) =>
        Add(new Fault(FaultKind.Forbidden, pathPrefix, 0, default), count);

    /// <summary>The next <paramref name="count"/> requests under <paramref name="pathPrefix"/> answer 404 as a resource
    /// the user may not see does (Jira does not tell "missing" from "hidden").</summary>
    public void NextNotFound(string pathPrefix, int count = 1) =>
        Add(new Fault(FaultKind.NotFound, pathPrefix, 0, default), count);

    /// <summary>The next matching responses are served normally but carry a deprecation notice: <c>Deprecation</c>
    /// (RFC 9745), <c>Sunset</c> (RFC 8594) and <c>Warning: 299</c>. Assumed form: Atlassian announces deprecations in its
    /// changelog and no page documents a header, so the standard ones are used.</summary>
    public void NextDeprecationNotice(string pathPrefix, int count = 1) =>
        Add(new Fault(FaultKind.DeprecationNotice, pathPrefix, 0, default), count);

    /// <summary>The next <paramref name="count"/> API requests answer 503 (with Retry-After when given, as some real 503s carry it).</summary>
    public void Next503(int count = 1, int retryAfterSeconds = 0, string? pathPrefix = null) =>
        Add(new Fault(FaultKind.ServiceUnavailable, pathPrefix, retryAfterSeconds, default), count);

    public void Next500(int count = 1, string? pathPrefix = null) =>
        Add(new Fault(FaultKind.ServerError, pathPrefix, 0, default), count);

    /// <summary>The next request whose path starts with <paramref name="pathPrefix"/> (e.g. "/rest/api/2/search/jql")
    /// gets a broken body with status 200.</summary>
    public void NextMalformed(string pathPrefix, MalformedKind kind = MalformedKind.TruncatedJson, int count = 1) =>
        Add(new Fault(FaultKind.Malformed, pathPrefix, 0, kind), count);

    /// <summary>The next <paramref name="count"/> API requests get no answer: the connection is cut
    /// (what a load balancer restart or a network blip looks like to a client).</summary>
    public void NextDropped(int count = 1, string? pathPrefix = null) =>
        Add(new Fault(FaultKind.Dropped, pathPrefix, 0, default), count);

    public void Clear() { lock (_sync) _queue.Clear(); }

    public int Pending { get { lock (_sync) return _queue.Sum(q => q.Remaining); } }

    private void Add(Fault fault, int count)
    {
        if (count <= 0) return;
        lock (_sync) _queue.Add((fault, count));
    }

    internal Fault? TryTake(string path)
    {
        lock (_sync)
        {
            for (var i = 0; i < _queue.Count; i++)
            {
                var (fault, remaining) = _queue[i];
                if (fault.PathPrefix is not null && !path.StartsWith(fault.PathPrefix, StringComparison.OrdinalIgnoreCase)) continue;
                if (remaining <= 1) _queue.RemoveAt(i); else _queue[i] = (fault, remaining - 1);
                return fault;
            }
            return null;
        }
    }
}
