using System.Text.Json;
using System.Text.Json.Nodes;

namespace JiraSync.Jira;

/// <summary>
/// The one gate every Jira request passes through (implemented by JiraClient): HTTPS, auth,
/// concurrency limit, retries on 429/5xx, typed errors, metrics, redaction.
/// Paths are relative to the base URL, e.g. "rest/api/2/myself" or "rest/agile/1.0/board?startAt=0".
/// </summary>
public interface IJiraApi
{
    /// <summary>GET a JSON document. Throws JiraUnauthorizedException (401), JiraForbiddenException (403), JiraNotFoundException (404),
    /// JiraRequestException (other 4xx, unexpected body), ConnectionException (network/TLS).</summary>
    /// <param name="pathAndQuery">Relative to the base URL, query included; an absolute URL must be on the same host.</param>
    /// <param name="ct">Cancels the request and its retries.</param>
    Task<JsonElement> GetAsync(string pathAndQuery, CancellationToken ct = default);

    /// <summary>POST a JSON body and read a JSON document back; same errors as GetAsync.</summary>
    /// <param name="path">Relative to the base URL, e.g. "rest/api/3/search/jql".</param>
    /// <param name="body">The JSON request body.</param>
    /// <param name="ct">Cancels the request and its retries.</param>
    Task<JsonElement> PostAsync(string path, JsonNode body, CancellationToken ct = default);

    /// <summary>Counts since the client was created (for metrics, run reports, benchmarks).</summary>
    JiraClientMetrics Metrics { get; }
}

/// <summary>Thread-safe request counters.</summary>
public sealed class JiraClientMetrics
{
    private long _requests, _retries, _rateLimited, _bytes;
    /// <summary>HTTP requests sent, retries included.</summary>
    public long Requests => Interlocked.Read(ref _requests);
    /// <summary>Requests sent again after a 5xx, timeout or dropped connection.</summary>
    public long Retries => Interlocked.Read(ref _retries);
    /// <summary>Answers that were 429 Too Many Requests.</summary>
    public long RateLimited => Interlocked.Read(ref _rateLimited);
    /// <summary>Response body bytes received (after decompression).</summary>
    public long BytesReceived => Interlocked.Read(ref _bytes);
    internal void CountRequest() => Interlocked.Increment(ref _requests);
    internal void CountRetry() => Interlocked.Increment(ref _retries);
    internal void CountRateLimited() => Interlocked.Increment(ref _rateLimited);
    internal void CountBytes(long n) => Interlocked.Add(ref _bytes, n);
}
