using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using JiraSync.Config;
using JiraSync.Errors;
using JiraSync.Jira.Paging;
using JiraSync.Logging;
using Polly;
using Polly.Retry;

namespace JiraSync.Jira;

/// <summary>
/// The one gate every Jira request passes through (DESIGN.md "Data flow"): HTTPS with verified TLS
/// (plus an optional ca_cert root), the configured auth, a concurrency limit, retries (429 pauses every
/// worker for Retry-After; 5xx, timeouts and dropped connections back off exponentially with jitter,
/// bounded), typed errors for 4xx, Singer metric lines, and no secret in any message.
/// </summary>
public sealed partial class JiraClient : IJiraApi, IDisposable
{
    private static readonly ResiliencePropertyKey<RequestBudget> BudgetKey = new("jirasync.request-budget");

    private readonly JiraSyncConfig _config;
    private readonly ILog _log;
    private readonly JiraClientOptions _options;
    private readonly HttpClient _http;
    private readonly Redactor _redactor;
    private readonly ResiliencePipeline<Attempt> _pipeline;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _deprecationWarned = new(StringComparer.Ordinal);
    private int _inFlight, _peakInFlight;

    /// <summary>A client for <see cref="JiraSyncConfig.BaseUrl"/> with the config's credentials, CA, timeout,
    /// concurrency and user agent. Sends nothing until the first request.</summary>
    /// <param name="config">Connection settings; its secrets are redacted from every message the client writes.</param>
    /// <param name="log">Receives retry notices, concurrency changes and, when enabled, Singer METRIC lines.</param>
    /// <param name="options">Retry knobs; <see cref="JiraClientOptions.Default"/> when null.</param>
    /// <exception cref="ConfigException">The base URL is http://.</exception>
    public JiraClient(JiraSyncConfig config, ILog log, JiraClientOptions? options = null)
    {
        _config = config;
        _log = log;
        _options = options ?? JiraClientOptions.Default;
        if (config.BaseUrl.Scheme != Uri.UriSchemeHttps) JiraUrl.Normalize(config.BaseUrl.ToString()); // throws the http:// sentence
        _redactor = new Redactor(config.Secrets());
        Tls = new TlsValidator(config.CaCert);
        Auth = new JiraAuthenticator(config, log, _options.OAuthTokenUrl);
        var slots = Math.Max(1, config.MaxConcurrency);
        Concurrency = new AdaptiveConcurrency(slots);
        Concurrency.Changed += change => _log.Info(
            $"concurrency now {change.Limit} of {slots} ({change.Reason}, {change.At.TotalSeconds:0.0} s into the run)");

        var handler = new SocketsHttpHandler
        {
            AutomaticDecompression = DecompressionMethods.All,
            ConnectTimeout = config.RequestTimeout < TimeSpan.FromSeconds(30) ? config.RequestTimeout : TimeSpan.FromSeconds(30),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            MaxConnectionsPerServer = slots,
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = Tls.Validate },
        };
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", config.UserAgent);
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        // English error texts whatever the user's profile language (as MeltanoLabs tap-jira does).
        _http.DefaultRequestHeaders.TryAddWithoutValidation("Accept-Language", "en");
        _http.DefaultRequestHeaders.TryAddWithoutValidation("X-Force-Accept-Language", "true");
        _pipeline = BuildRetryPipeline();
    }

    internal Uri BaseUrl => _config.BaseUrl;
    /// <inheritdoc/>
    public JiraClientMetrics Metrics { get; } = new();
    /// <summary>Which root vouched for the server, or why TLS failed.</summary>
    internal TlsValidator Tls { get; }
    /// <summary>The Authorization header source; set <see cref="JiraAuthenticator.RefreshTokenRotated"/> to keep a
    /// rotated OAuth refresh token.</summary>
    public JiraAuthenticator Auth { get; }
    /// <summary>The shared 429 pause.</summary>
    internal RateLimitGate Gate { get; } = new();
    /// <summary>How many requests may be in flight: max_concurrency, lowered while Jira signals its rate limit.</summary>
    internal AdaptiveConcurrency Concurrency { get; }
    /// <summary>The most requests that were ever in flight at once (never above max_concurrency).</summary>
    internal int PeakConcurrency => Volatile.Read(ref _peakInFlight);

    /// <inheritdoc/>
    public Task<JsonElement> GetAsync(string pathAndQuery, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Get, pathAndQuery, null, ReadWhole, ct);

    /// <inheritdoc/>
    public Task<JsonElement> PostAsync(string path, JsonNode body, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, path, body.ToJsonString(), ReadWhole, ct);

    /// <inheritdoc/>
    public Task<ItemPage> GetPageAsync(string pathAndQuery, string itemsKey, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Get, pathAndQuery, null, (in ReadOnlySequence<byte> json) => ItemPage.Read(json, itemsKey, pathAndQuery), ct);

    /// <inheritdoc/>
    public Task<ItemPage> PostPageAsync(string path, JsonNode body, string itemsKey, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, path, body.ToJsonString(), (in ReadOnlySequence<byte> json) => ItemPage.Read(json, itemsKey, path), ct);

    /// <summary>Reads a successful answer's body (pooled memory, valid only during the call) into what the caller keeps.</summary>
    /// <exception cref="JsonException">The body is not one JSON value.</exception>
    private delegate T BodyReader<out T>(in ReadOnlySequence<byte> json);

    /// <summary>The whole answer as one document that owns exactly sized copies of its text and token index: JsonDocument's
    /// "convert to allocated" path, whose pooled index is returned at once (a document parsed in place kept an index
    /// rented at the body's size rounded up to a power of two, 8 MB for a 4.6 MB issue page, until collected).</summary>
    private static readonly BodyReader<JsonElement> ReadWhole = (in ReadOnlySequence<byte> json) =>
    {
        var reader = new Utf8JsonReader(json);
        var root = JsonElement.ParseValue(ref reader);
        // Only white space may follow (Read throws on anything else), as JsonDocument.Parse demands.
        if (reader.Read()) throw new JsonException("more than one JSON value");
        return root;
    };

    /// <summary>Closes the connections.</summary>
    public void Dispose()
    {
        _http.Dispose();
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string pathAndQuery, string? body, BodyReader<T> read, CancellationToken ct)
    {
        var uri = new Uri(_config.BaseUrl, pathAndQuery.TrimStart('/'));
        // An absolute URL (say a "nextPage" link) must not carry our credentials to another host.
        if (Uri.Compare(uri, _config.BaseUrl, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) != 0)
            throw new JiraRequestException($"refusing to send credentials to {JiraUrl.Display(uri)}: it is not under base_url {_config.BaseUrl}", null);
        var request = new RequestInfo(method, uri, body, EndpointTag(uri), $"{method} {JiraUrl.Display(uri)}");
        var budget = new RequestBudget(request);
        var context = ResilienceContextPool.Shared.Get(ct);
        context.Properties.Set(BudgetKey, budget);
        Attempt result;
        try
        {
            result = await _pipeline.ExecuteAsync(ctx => AttemptAsync(request, ctx.CancellationToken), context).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or RequestTimeoutException)
        {
            throw Unreachable(ex, request, budget);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
        return Interpret(result, request, budget, read);
    }

    /// <summary>One HTTP exchange: waits for a slot under the adaptive limit and for the rate-limit gate, sends,
    /// reads the whole body; the answer's rate-limit signal then adjusts the limit.</summary>
    private async ValueTask<Attempt> AttemptAsync(RequestInfo info, CancellationToken ct)
    {
        var ticket = await Concurrency.AcquireAsync(ct, RequestPriority.IsBulk).ConfigureAwait(false);
        var signal = RateLimitSignal.Neutral;
        try
        {
            // Waiting for the gate while holding a slot is fine: every worker is paused anyway.
            await Gate.WaitAsync(ct).ConfigureAwait(false);
            var now = Interlocked.Increment(ref _inFlight);
            for (var peak = Volatile.Read(ref _peakInFlight); now > peak && Interlocked.CompareExchange(ref _peakInFlight, now, peak) != peak; peak = Volatile.Read(ref _peakInFlight)) { }
            try
            {
                var attempt = await ExchangeAsync(info, ct).ConfigureAwait(false);
                signal = attempt.Signal;
                return attempt;
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }
        finally
        {
            Concurrency.Release(ticket, signal);
        }
    }

    private async Task<Attempt> ExchangeAsync(RequestInfo info, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_config.RequestTimeout);
        using var request = new HttpRequestMessage(info.Method, info.Uri);
        var auth = await Auth.HeaderAsync(_http, ct).ConfigureAwait(false);
        request.Headers.Authorization = auth;
        if (info.Body != null) request.Content = new StringContent(info.Body, Encoding.UTF8, "application/json");
        // Jira's XSRF filter refuses state-changing requests from browser-like clients without this header
        // ("XSRF check failed", 403); Atlassian's KB "XSRF check failed when calling Cloud APIs" names it as the fix.
        if (info.Method != HttpMethod.Get) request.Headers.TryAddWithoutValidation("X-Atlassian-Token", "no-check");
        Metrics.CountRequest();
        var clock = Stopwatch.StartNew();
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            var bytes = await ResponseBody.ReadAsync(response.Content, timeout.Token).ConfigureAwait(false);
            Metrics.CountBytes(bytes.Length);
            var status = (int)response.StatusCode;
            if (status == 429) Metrics.CountRateLimited();
            Timer(info, clock, status, response.IsSuccessStatusCode);
            var reasons = JiraResponseReasons.From(response.Headers);
            if (reasons.Deprecated && _deprecationWarned.TryAdd(info.Endpoint, true))
                _log.Warn(_redactor.Redact($"Jira marks {info.Endpoint} as deprecated ({reasons.DeprecationNotice()}); JiraSync still reads it — a newer JiraSync may use its successor"));
            return new Attempt(status, response.ReasonPhrase, bytes, RetryAfter.From(response.Headers, DateTimeOffset.UtcNow), auth, reasons,
                RateLimitSignals.From(status, response.Headers));
        }
        // Only our own timer is a timeout: a request cancelled because the run is ending (another request failed and
        // the client is disposed) is no reason to warn and retry.
        catch (OperationCanceledException ex) when (!ct.IsCancellationRequested && timeout.IsCancellationRequested)
        {
            Timer(info, clock, 0, false);
            throw new RequestTimeoutException(_config.RequestTimeout, ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            Timer(info, clock, 0, false);
            throw;
        }
    }

    private void Timer(RequestInfo info, Stopwatch clock, int status, bool succeeded)
    {
        // The full URL (with JQL) only under --verbose; the metric line keeps the endpoint alone.
        _log.Debug(_redactor.Redact($"{info.Display} -> {(status == 0 ? "no answer" : status)} in {clock.Elapsed.TotalSeconds:0.000} s"));
        if (!_options.LogMetrics) return;
        // Singer's http_request_timer tags (singer-notes.md "logging and metrics"); status code 0 = no answer.
        var tags = new JsonObject
        {
            ["endpoint"] = info.Endpoint,
            ["http_status_code"] = status,
            ["status"] = succeeded ? "succeeded" : "failed",
        };
        _log.Metric("timer", "http_request_duration", Math.Round(clock.Elapsed.TotalSeconds, 6), tags);
    }

    private ResiliencePipeline<Attempt> BuildRetryPipeline() => new ResiliencePipelineBuilder<Attempt>()
        .AddRetry(new RetryStrategyOptions<Attempt>
        {
            // The real bounds are per kind, in ShouldRetryAsync; this only keeps Polly from stopping first.
            MaxRetryAttempts = _options.MaxAttempts + _options.MaxRateLimitedAttempts + 1,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = _options.BaseDelay,
            MaxDelay = _options.MaxDelay,
            ShouldHandle = args => ShouldRetryAsync(args.Outcome, args.Context),
            DelayGenerator = args => ValueTask.FromResult(PauseFor(args.Outcome, args.Context)),
            OnRetry = args =>
            {
                Metrics.CountRetry();
                LogRetry(args.Outcome, args.Context.Properties.GetValue(BudgetKey, null!), args.RetryDelay);
                return default;
            },
        })
        .Build();

    private async ValueTask<bool> ShouldRetryAsync(Outcome<Attempt> outcome, ResilienceContext context)
    {
        var budget = context.Properties.GetValue(BudgetKey, null!);
        if (outcome.Exception is { } ex)
        {
            var transient = ex switch
            {
                RequestTimeoutException => true,
                // DNS and TLS failures do not heal in seconds; report them at once.
                HttpRequestException h => h.HttpRequestError is not (HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError),
                IOException => true,
                _ => false,
            };
            return transient && ++budget.Failures < _options.MaxAttempts;
        }
        var attempt = outcome.Result!;
        if (attempt.Status == 429)
        {
            budget.RateLimited++;
            if (attempt.RetryAfter > _options.MaxRateLimitPause) return false;
            return budget.RateLimited < _options.MaxRateLimitedAttempts;
        }
        // A 500 that states a fixed limit (Data Center's "Search limit exceeded") answers the same every time.
        if (IsTransient(attempt.Status)) return !JiraErrorBody.StatesFixedLimit(attempt.Body.Head()) && ++budget.Failures < _options.MaxAttempts;
        if (attempt.Status == 401 && !budget.RenewedAuth)
        {
            budget.RenewedAuth = true;
            return await Auth.TryRenewAsync(_http, attempt.Auth, context.CancellationToken).ConfigureAwait(false);
        }
        return false;
    }

    /// <summary>For 429 (and 5xx carrying Retry-After) the wait happens at the shared gate, so every worker
    /// pauses; this worker's own delay is then zero. Null lets Polly's exponential backoff with jitter decide.</summary>
    private TimeSpan? PauseFor(Outcome<Attempt> outcome, ResilienceContext context)
    {
        if (outcome.Result is not { } attempt) return null;
        if (attempt.Status == 429)
        {
            var budget = context.Properties.GetValue(BudgetKey, null!);
            // Without a hint, double the pause per consecutive 429 (Atlassian's suggested backoff), capped.
            var fallback = TimeSpan.FromTicks(Math.Min(_options.MaxDelay.Ticks,
                _options.DefaultRateLimitPause.Ticks * (1L << Math.Min(budget.RateLimited - 1, 20))));
            Gate.PauseFor(attempt.RetryAfter ?? fallback);
            return TimeSpan.Zero;
        }
        if (IsTransient(attempt.Status) && attempt.RetryAfter is { } hint)
        {
            Gate.PauseFor(hint < _options.MaxDelay ? hint : _options.MaxDelay);
            return TimeSpan.Zero;
        }
        return attempt.Status == 401 ? TimeSpan.Zero : null;
    }

    private void LogRetry(Outcome<Attempt> outcome, RequestBudget budget, TimeSpan delay)
    {
        var what = outcome.Exception switch
        {
            RequestTimeoutException t => t.Message,
            HttpRequestException h => $"connection failed ({Reason(h)})",
            IOException io => $"connection dropped ({io.Message})",
            { } e => e.GetType().Name,
            null => outcome.Result!.Status == 401 ? "401, renewing the OAuth access token"
                : outcome.Result!.Reasons.RateLimitMeaning is { } why ? $"HTTP {outcome.Result!.Status} ({why})"
                : $"HTTP {outcome.Result!.Status}",
        };
        var wait = Gate.Remaining > delay ? $"all requests paused {Gate.Remaining.TotalSeconds:0.0} s" : $"retrying in {delay.TotalSeconds:0.0} s";
        var attempt = outcome.Result?.Status == 429
            ? $"rate limited {budget.RateLimited} of {_options.MaxRateLimitedAttempts}"
            : $"failure {budget.Failures} of {_options.MaxAttempts}";
        _log.Warn(_redactor.Redact($"{budget.Request.Display}: {what}; {wait} ({attempt})"));
    }

    private T Interpret<T>(Attempt attempt, RequestInfo info, RequestBudget budget, BodyReader<T> read)
    {
        // The answer's pooled blocks go back once it is read (what the reader keeps is copied) or put into words.
        using var pooled = attempt.Body;
        var status = attempt.Status;
        if (status is >= 200 and < 300)
        {
            try
            {
                return read(attempt.Body.Length == 0 ? new ReadOnlySequence<byte>("null"u8.ToArray()) : attempt.Body.Sequence);
            }
            catch (JsonException ex)
            {
                var text = attempt.Body.Head();
                var looksJson = text.TrimStart(" \r\n\t"u8) is [(byte)'{' or (byte)'[', ..];
                throw Error(new JiraRequestException(looksJson
                    ? $"{info.Display} answered {status} with JSON that breaks off or is malformed (line {ex.LineNumber + 1}): the response was probably truncated"
                    : $"{info.Display} answered {status} with a body that is not JSON: {JiraErrorBody.Preview(text)}", status, inner: ex));
            }
        }
        var body = attempt.Body.Head();
        var detail = JiraErrorBody.Summarize(body) is { } summary ? $": {summary}"
            : body.Length > 0 && body[0] is not (byte)'{' ? $" (body: {JiraErrorBody.Preview(body)})" : "";
        var phrase = $"{status}{(string.IsNullOrEmpty(attempt.Reason) ? "" : " " + attempt.Reason)}";
        var rateReason = attempt.Reasons.RateLimitMeaning is { } why ? $" ({why})" : "";
        JiraRequestException error = status switch
        {
            // 403 means "credentials refused" only when Jira's login headers say so; otherwise a permission is missing.
            401 or 403 when status == 401 || attempt.Reasons.LoginRefused => new JiraUnauthorizedException(
                $"Jira refused the {attempt.Reasons.RefusedWhat} ({info.Display} answered {phrase}{detail}); {attempt.Reasons.LoginAdvice(AuthMode.Describe(Auth.Kind))}"),
            403 when JiraErrorBody.IsXsrfRefusal(body) => new JiraForbiddenException(
                $"{info.Display} answered {phrase}: Jira's XSRF check refused it although JiraSync sends X-Atlassian-Token: no-check; a proxy between here and Jira probably strips that header"),
            403 => new JiraForbiddenException(
                $"{info.Display} answered {phrase}: the user may not read {info.Endpoint}{(JiraPermissions.For(info.Endpoint) is { } p ? $" (it needs the permission {p})" : "")}{detail}; ask a Jira admin to grant it, or leave the stream that needs it out of the catalog"),
            404 => new JiraNotFoundException($"{info.Display} answered {phrase}: it does not exist or the user may not see it{detail}"),
            429 when attempt.RetryAfter > _options.MaxRateLimitPause => new JiraRequestException(
                $"{info.Display}: Jira's rate limit asks to wait {Duration(attempt.RetryAfter.Value)}, more than the {Duration(_options.MaxRateLimitPause)} JiraSync waits; giving up{rateReason}{detail}", status),
            429 => new JiraRequestException($"{info.Display}: still rate limited (429) after {budget.RateLimited} attempts{rateReason}{detail}", status),
            _ when IsTransient(status) && JiraErrorBody.StatesFixedLimit(body) => new JiraLimitExceededException(
                $"{info.Display} answered {phrase}{detail} (a fixed limit of the server: not retried)", status),
            _ when IsTransient(status) => new JiraRequestException($"{info.Display} answered {phrase} {budget.Failures} times; giving up{detail}", status),
            _ => new JiraRequestException($"{info.Display} answered {phrase}{detail}", status),
        };
        throw Error(error);
    }

    private Exception Unreachable(Exception ex, RequestInfo info, RequestBudget budget)
    {
        var host = info.Uri.Authority;
        var tries = budget.Failures > 1 ? $" ({budget.Failures} attempts)" : "";
        var message = ex switch
        {
            RequestTimeoutException t => $"no answer from Jira at {host} within request_timeout {_config.RequestTimeout.TotalSeconds:0.#} s{tries}",
            HttpRequestException h => $"cannot reach Jira at {host}: {Reason(h)}{tries}",
            _ => $"connection to Jira at {host} dropped: {ex.Message}{tries}",
        };
        return Error(new ConnectionException(message, ex));
    }

    private string Reason(HttpRequestException ex) => ex.HttpRequestError switch
    {
        HttpRequestError.NameResolutionError => "the host name cannot be resolved (DNS)",
        HttpRequestError.SecureConnectionError => $"TLS failed: {Tls.LastFailure ?? Innermost(ex)}",
        HttpRequestError.ConnectionError => Innermost(ex),
        _ => Innermost(ex),
    };

    private static string Innermost(Exception ex)
    {
        while (ex.InnerException != null) ex = ex.InnerException;
        return ex.Message.TrimEnd('.');
    }

    // Exceptions are not written through a log's Redactor, so they are redacted here.
    private T Error<T>(T exception) where T : Exception
    {
        var clean = _redactor.Redact(exception.Message);
        if (clean == exception.Message) return exception;
        return (T)(Exception)(exception switch
        {
            JiraUnauthorizedException => new JiraUnauthorizedException(clean),
            JiraForbiddenException => new JiraForbiddenException(clean),
            JiraNotFoundException => new JiraNotFoundException(clean),
            JiraLimitExceededException l => new JiraLimitExceededException(clean, l.StatusCode),
            JiraRequestException r => new JiraRequestException(clean, r.StatusCode, r.ExitCode, r.InnerException),
            ConnectionException c => new ConnectionException(clean, c.InnerException),
            _ => new JiraSyncException(clean, ExitCodes.RunFailed, exception.InnerException),
        });
    }

    private static string Duration(TimeSpan t) => t.TotalSeconds < 120 ? $"{t.TotalSeconds:0} s" : $"{t.TotalMinutes:0} minutes";

    private static bool IsTransient(int status) => status is 500 or 502 or 503 or 504 || status is >= 520 and < 600;

    /// <summary>The metric's endpoint tag: the path without query, numeric ids and issue keys folded to {id},
    /// so timers aggregate per endpoint rather than per issue.</summary>
    private string EndpointTag(Uri uri)
    {
        var path = uri.AbsolutePath;
        var root = _config.BaseUrl.AbsolutePath;
        if (path.StartsWith(root, StringComparison.Ordinal)) path = path[root.Length..];
        return IdSegment().Replace(path, "{id}");
    }

    [GeneratedRegex(@"(?<=^|/)(?<!(?:^|/)(?:api|agile)/)(\d+|[A-Z][A-Z0-9_]+-\d+)(?=/|$)")]
    private static partial Regex IdSegment();

    private sealed record RequestInfo(HttpMethod Method, Uri Uri, string? Body, string Endpoint, string Display);

    /// <summary>What one exchange produced (the response is already disposed). <see cref="Interpret"/> disposes the pooled
    /// body; an attempt that is retried leaves it to the garbage collector.</summary>
    private sealed record Attempt(int Status, string? Reason, ResponseBody Body, TimeSpan? RetryAfter, AuthenticationHeaderValue Auth,
        JiraResponseReasons Reasons, RateLimitSignal Signal);

    /// <summary>Per-request retry counts, kept apart: 429 waits are expected, failures are not.</summary>
    private sealed class RequestBudget(RequestInfo request)
    {
        public RequestInfo Request { get; } = request;
        public int Failures;
        public int RateLimited;
        public bool RenewedAuth;
    }

    private sealed class RequestTimeoutException(TimeSpan timeout, Exception inner)
        : Exception($"no answer within request_timeout {timeout.TotalSeconds:0.#} s", inner);
}
