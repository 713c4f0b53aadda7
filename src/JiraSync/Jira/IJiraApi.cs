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

    /// <summary>GET one page of a list: the items under <paramref name="itemsKey"/>, each in a JSON document of its own, and
    /// the answer's other properties. A client may read the items one by one from the response without a document of
    /// the whole page (JiraClient does: an issue page is MBs). Same errors as GetAsync, and JiraRequestException when
    /// the answer has no array under <paramref name="itemsKey"/>.</summary>
    /// <param name="pathAndQuery">Relative to the base URL, query included.</param>
    /// <param name="itemsKey">Where the items sit, e.g. "issues", "values".</param>
    /// <param name="ct">Cancels the request and its retries.</param>
    async Task<Paging.ItemPage> GetPageAsync(string pathAndQuery, string itemsKey, CancellationToken ct = default) =>
        Paging.ItemPage.Of(await GetAsync(pathAndQuery, ct).ConfigureAwait(false), itemsKey, pathAndQuery);

    /// <summary>POST a JSON body and read the answer as one page of a list (see <see cref="GetPageAsync"/>).</summary>
    /// <param name="path">Relative to the base URL, e.g. "rest/api/2/issue/bulkfetch".</param>
    /// <param name="body">The JSON request body.</param>
    /// <param name="itemsKey">Where the items sit, e.g. "issues".</param>
    /// <param name="ct">Cancels the request and its retries.</param>
    async Task<Paging.ItemPage> PostPageAsync(string path, JsonNode body, string itemsKey, CancellationToken ct = default) =>
        Paging.ItemPage.Of(await PostAsync(path, body, ct).ConfigureAwait(false), itemsKey, path);

    /// <summary>Counts since the client was created (for metrics, run reports, benchmarks).</summary>
    JiraClientMetrics Metrics { get; }
}

/// <summary>Thread-safe request counters. A part of a run (one unit of extraction) gets its own counts by opening
/// <see cref="AlsoCountInto"/> in its async flow: every request made in that flow is then counted there as well.</summary>
public sealed class JiraClientMetrics
{
    private static readonly AsyncLocal<JiraClientMetrics?> Also = new();
    private long _requests, _retries, _rateLimited, _bytes;
    /// <summary>Requests sent (each retry is one more).</summary>
    public long Requests => Interlocked.Read(ref _requests);
    /// <summary>Requests sent again after a 429, 5xx or network error.</summary>
    public long Retries => Interlocked.Read(ref _retries);
    /// <summary>429 answers.</summary>
    public long RateLimited => Interlocked.Read(ref _rateLimited);
    /// <summary>Bytes of answer bodies received (as sent, compressed or not).</summary>
    public long BytesReceived => Interlocked.Read(ref _bytes);
    /// <summary>Counts one request (and in the flow's <see cref="AlsoCountInto"/> target).</summary>
    public void CountRequest() { Interlocked.Increment(ref _requests); if (Also.Value is { } a && a != this) Interlocked.Increment(ref a._requests); }
    /// <summary>Counts one retry.</summary>
    public void CountRetry() { Interlocked.Increment(ref _retries); if (Also.Value is { } a && a != this) Interlocked.Increment(ref a._retries); }
    /// <summary>Counts one 429 answer.</summary>
    public void CountRateLimited() { Interlocked.Increment(ref _rateLimited); if (Also.Value is { } a && a != this) Interlocked.Increment(ref a._rateLimited); }
    /// <summary>Counts <paramref name="n"/> bytes received.</summary>
    /// <param name="n">Bytes.</param>
    public void CountBytes(long n) { Interlocked.Add(ref _bytes, n); if (Also.Value is { } a && a != this) Interlocked.Add(ref a._bytes, n); }

    /// <summary>From now on in the calling async flow (and the flows it starts), whatever any client counts is also
    /// counted into <paramref name="into"/> (null: no longer). Set from a synchronous method, it holds for the rest of
    /// the async method that called it, as <see cref="AsyncLocal{T}"/> values do.</summary>
    /// <param name="into">The part's own counters.</param>
    public static void AlsoCountInto(JiraClientMetrics? into) => Also.Value = into;
}
