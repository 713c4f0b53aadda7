using System.Globalization;
using System.Text;
using JiraSync.Simulator.Control;
using Microsoft.AspNetCore.Http;

namespace JiraSync.Simulator.Http;

/// <summary>The request pipeline in front of the endpoints: request log, latency, injected faults and
/// authentication. Control paths (/__sim/) bypass all of it.</summary>
public static class SimMiddleware
{
    public const string ControlPrefix = "/__sim";

    public static bool IsControl(HttpContext ctx) => ctx.Request.Path.StartsWithSegments(ControlPrefix);

    public static async Task LogRequests(HttpContext ctx, RequestDelegate next, SimContext sim)
    {
        if (IsControl(ctx)) { await next(ctx); return; }
        var arrived = DateTimeOffset.UtcNow;
        try { await next(ctx); }
        finally
        {
            sim.Control.Requests.Add(new RequestLogEntry(ctx.Request.Method, ctx.Request.Path + ctx.Request.QueryString,
                ctx.Response.StatusCode, DateTimeOffset.UtcNow)
            {
                ArrivedAt = arrived,
                ContentEncoding = ctx.Response.Headers.ContentEncoding.ToString() is { Length: > 0 } e ? e : null,
            });
        }
    }

    public static async Task LatencyAndFaults(HttpContext ctx, RequestDelegate next, SimContext sim)
    {
        if (IsControl(ctx)) { await next(ctx); return; }
        if (sim.Control.LatencyMs > 0) await Task.Delay(sim.Control.LatencyMs, ctx.RequestAborted);
        var fault = sim.Control.Faults.TryTake(ctx.Request.Path.Value ?? "");
        switch (fault?.Kind)
        {
            case null when sim.RateLimit is { } bucket:
                if (bucket.TryTake(ctx.Response, out var wait)) await next(ctx);
                else await RateLimited(ctx, sim, wait, bucket.Burst);
                return;
            case null: await next(ctx); return;
            case FaultKind.RateLimited:
                await RateLimited(ctx, sim, fault.RetryAfterSeconds, 350, fault.Reason);
                return;
            case FaultKind.ServiceUnavailable:
                if (fault.RetryAfterSeconds > 0) ctx.Response.Headers["Retry-After"] = fault.RetryAfterSeconds.ToString();
                await JsonOut.Error(ctx, 503, "Service Unavailable");
                return;
            case FaultKind.CaptchaChallenge:
                ctx.Response.Headers["X-Seraph-LoginReason"] = "AUTHENTICATION_DENIED";
                ctx.Response.Headers["X-Authentication-Denied-Reason"] = $"CAPTCHA_CHALLENGE; login-url={ctx.Request.Scheme}://{ctx.Request.Host}/login.jsp";
                ctx.Response.StatusCode = 403;
                return;
            case FaultKind.Forbidden:
                await JsonOut.Error(ctx, 403, "You do not have permission to perform this operation.");
                return;
            case FaultKind.NotFound:
                await JsonOut.Error(ctx, 404, "The requested resource does not exist or you do not have permission to see it.");
                return;
            case FaultKind.DeprecationNotice:
                ctx.Response.Headers["Deprecation"] = "@1735689600"; // 2025-01-01
                ctx.Response.Headers["Sunset"] = "Sat, 01 Aug 2026 00:00:00 GMT";
                ctx.Response.Headers["Warning"] = "299 - \"This resource is deprecated; use its successor\"";
                await next(ctx);
                return;
            case FaultKind.Dropped:
                ctx.Abort();
                return;
            case FaultKind.ServerError:
                await JsonOut.Error(ctx, 500, "Internal server error");
                return;
            case FaultKind.Malformed when fault.Malformed == MalformedKind.HtmlPage:
                ctx.Response.StatusCode = 200;
                ctx.Response.ContentType = "text/html;charset=UTF-8";
                await ctx.Response.WriteAsync("<!DOCTYPE html><html><head><title>Log in with Atlassian account</title></head><body><h1>Something went wrong</h1><p>Please try again.</p></body></html>");
                return;
            case FaultKind.Malformed:
                var original = ctx.Response.Body;
                using (var buffer = new MemoryStream())
                {
                    ctx.Response.Body = buffer;
                    try { await next(ctx); }
                    finally { ctx.Response.Body = original; }
                    var bytes = buffer.ToArray();
                    var cut = Math.Max(1, bytes.Length / 2);
                    ctx.Response.StatusCode = 200;
                    await original.WriteAsync(bytes.AsMemory(0, cut));
                }
                return;
        }
    }

    /// <summary>A 429 with the header set from developer.atlassian.com/cloud/jira/platform/rate-limiting (see jira-api-notes §8).</summary>
    private static async Task RateLimited(HttpContext ctx, SimContext sim, int retryAfterSeconds, int limit, string? reason = null)
    {
        var reset = DateTimeOffset.FromUnixTimeMilliseconds(sim.Store.Read(s => s.NowMs)).AddSeconds(retryAfterSeconds);
        ctx.Response.Headers["Retry-After"] = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        ctx.Response.Headers["X-RateLimit-Limit"] = limit.ToString(CultureInfo.InvariantCulture);
        ctx.Response.Headers["X-RateLimit-Remaining"] = "0";
        ctx.Response.Headers["X-RateLimit-Reset"] = reset.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm'Z'", CultureInfo.InvariantCulture);
        ctx.Response.Headers["X-RateLimit-NearLimit"] = "true";
        ctx.Response.Headers["RateLimit-Reason"] = reason ?? "jira-burst-based";
        await JsonOut.Error(ctx, 429, "Rate limit exceeded.");
    }

    /// <summary>The size-dependent part of the latency model (<see cref="Control.SimulatorControl.LatencyPerKiBMs"/>
    /// per KiB of the uncompressed body, as a real site spends longer rendering and sending larger pages)
    /// and the optional response cache (<see cref="SimulatorOptions.CacheResponses"/>). The body is
    /// buffered only when either is on; otherwise the endpoint writes straight through.</summary>
    public static async Task SizeLatencyAndCache(HttpContext ctx, RequestDelegate next, SimContext sim, ResponseCache? cache)
    {
        var perKiB = sim.Control.LatencyPerKiBMs;
        if (IsControl(ctx) || (perKiB <= 0 && cache is null)) { await next(ctx); return; }
        string? key = null;
        var rendered = (Version: 0L, Now: 0L);
        if (cache is not null)
        {
            // Not disposed here: the endpoint reads it after this block (the request's lifetime ends with the response).
            var requestBody = new MemoryStream();
            ctx.Response.RegisterForDispose(requestBody);
            await ctx.Request.Body.CopyToAsync(requestBody, ctx.RequestAborted);
            requestBody.Position = 0;
            ctx.Request.Body = requestBody;
            rendered = sim.Store.Read(s => (s.DataVersion, s.NowMs));
            key = $"{rendered.Version}|{rendered.Now}|{ctx.Request.Method} {ctx.Request.Path}{ctx.Request.QueryString}|{ctx.Request.Headers.Authorization}\n{Encoding.UTF8.GetString(requestBody.GetBuffer(), 0, (int)requestBody.Length)}";
            if (cache.TryGet(key, out var hit))
            {
                await DelayForSize(ctx, hit.Body.Length, sim.Control.LatencyPerKiBMs);
                ctx.Response.StatusCode = hit.Status;
                foreach (var (name, value) in hit.Headers) ctx.Response.Headers[name] = value;
                await ctx.Response.Body.WriteAsync(hit.Body, ctx.RequestAborted);
                return;
            }
        }
        // Headers set before the endpoint (the rate-limit budget) describe this moment, not the body: not cached.
        var before = ctx.Response.Headers.Keys.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var original = ctx.Response.Body;
        using var buffer = new MemoryStream();
        ctx.Response.Body = buffer;
        try { await next(ctx); }
        finally { ctx.Response.Body = original; }
        var body = buffer.ToArray();
        // Kept only when nothing changed while rendering, so the key's version describes the body.
        if (key is not null && ctx.Response.StatusCode == 200 && sim.Store.Read(s => (s.DataVersion, s.NowMs)) == rendered)
            cache!.Add(key, new CachedResponse(200, ctx.Response.Headers.Where(h => !before.Contains(h.Key))
                .Select(h => KeyValuePair.Create(h.Key, h.Value.ToString())).ToArray(), body));
        await DelayForSize(ctx, body.Length, sim.Control.LatencyPerKiBMs);
        await original.WriteAsync(body, ctx.RequestAborted);
    }

    private static Task DelayForSize(HttpContext ctx, int bytes, double perKiB) =>
        perKiB > 0 ? Task.Delay(TimeSpan.FromMilliseconds(perKiB * bytes / 1024.0), ctx.RequestAborted) : Task.CompletedTask;

    /// <summary>Basic auth (user + API token on Cloud, user + password on Server) or, on Server, a personal
    /// access token as Bearer. serverInfo is anonymous, as on Jira.</summary>
    public static async Task Authenticate(HttpContext ctx, RequestDelegate next, SimContext sim, SimulatorCredentials creds)
    {
        if (IsControl(ctx) || ctx.Request.Path.Equals("/rest/api/2/serverInfo", StringComparison.OrdinalIgnoreCase)) { await next(ctx); return; }
        var header = ctx.Request.Headers.Authorization.ToString();
        if (Accepts(header, sim, creds)) { await next(ctx); return; }
        ctx.Response.Headers["WWW-Authenticate"] = "Basic realm=\"protected-area\"";
        ctx.Response.Headers["X-Seraph-LoginReason"] = "AUTHENTICATED_FAILED";
        await JsonOut.Error(ctx, 401, "You are not authenticated. Authentication required to perform this operation.");
    }

    /// <summary>Jira's XSRF protection for REST: a state-changing request (anything but GET/HEAD/OPTIONS) from a
    /// browser-like client is refused with 403 "XSRF check failed" unless it carries <c>X-Atlassian-Token: no-check</c>
    /// (Atlassian KB "XSRF check failed when calling Cloud APIs", confluence.atlassian.com/cloudkb/xsrf-check-failed-when-calling-cloud-apis-826874382.html;
    /// the same filter runs on Server/DC). Which user agents count as a browser is assumed: "Mozilla" or "Opera" in it.</summary>
    public static async Task Xsrf(HttpContext ctx, RequestDelegate next)
    {
        var method = ctx.Request.Method;
        var agent = ctx.Request.Headers.UserAgent.ToString();
        var browserLike = agent.Contains("Mozilla", StringComparison.OrdinalIgnoreCase) || agent.Contains("Opera", StringComparison.OrdinalIgnoreCase);
        if (IsControl(ctx) || HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || !browserLike
            || string.Equals(ctx.Request.Headers["X-Atlassian-Token"].ToString(), "no-check", StringComparison.OrdinalIgnoreCase))
        {
            await next(ctx);
            return;
        }
        ctx.Response.StatusCode = 403;
        ctx.Response.ContentType = "text/plain;charset=UTF-8";
        await ctx.Response.WriteAsync("XSRF check failed");
    }

    private static bool Accepts(string header, SimContext sim, SimulatorCredentials creds)
    {
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
                return decoded == $"{creds.Username}:{creds.ApiToken}";
            }
            catch (FormatException) { return false; }
        }
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return !sim.Cloud && header[7..].Trim() == creds.PersonalAccessToken;
        return false;
    }
}
