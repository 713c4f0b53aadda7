using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using JiraSync.Config;
using JiraSync.Errors;
using JiraSync.Logging;

namespace JiraSync.Jira;

/// <summary>
/// The Authorization header for each request: Basic (username + password/API token), Bearer personal access
/// token (Server/DC), or Bearer OAuth 2.0 access token. An OAuth token is renewed from the refresh token when
/// none was given or when Jira refuses it (access tokens live about an hour; jira-api-notes.md §"Auth").
/// Atlassian rotates refresh tokens on every renewal, so the new one is handed to <see cref="RefreshTokenRotated"/>:
/// the old one stops working.
/// </summary>
public sealed class JiraAuthenticator
{
    /// <summary>Atlassian's OAuth 2.0 token endpoint.</summary>
    internal static readonly Uri AtlassianTokenUrl = new("https://auth.atlassian.com/oauth/token");

    private readonly JiraSyncConfig _config;
    private readonly ILog _log;
    private readonly Uri _tokenUrl;
    private readonly SemaphoreSlim _refreshLock = new(1, 1);
    private readonly AuthenticationHeaderValue? _fixed;
    private volatile string? _accessToken;
    private volatile string? _refreshToken;

    internal JiraAuthenticator(JiraSyncConfig config, ILog log, Uri? tokenUrl = null)
    {
        _config = config;
        _log = log;
        _tokenUrl = tokenUrl ?? AtlassianTokenUrl;
        Kind = AuthMode.Of(config);
        _accessToken = config.AccessToken;
        _refreshToken = config.RefreshToken;
        _fixed = Kind switch
        {
            AuthKind.Basic => new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{config.Username}:{config.Password}"))),
            AuthKind.PersonalAccessToken => new AuthenticationHeaderValue("Bearer", config.PersonalAccessToken),
            _ => null,
        };
    }

    internal AuthKind Kind { get; }

    /// <summary>Called with the new refresh token after Atlassian rotated it (store it: the old one is dead).</summary>
    public Action<string>? RefreshTokenRotated { get; set; }

    internal async ValueTask<AuthenticationHeaderValue> HeaderAsync(HttpClient http, CancellationToken ct)
    {
        if (_fixed != null) return _fixed;
        if (_accessToken == null) await RefreshAsync(http, null, ct).ConfigureAwait(false);
        return new AuthenticationHeaderValue("Bearer", _accessToken);
    }

    /// <summary>After a 401 with <paramref name="refused"/>: renews the OAuth token once if possible.
    /// True when a request may be tried again with a new header.</summary>
    internal async Task<bool> TryRenewAsync(HttpClient http, AuthenticationHeaderValue refused, CancellationToken ct)
    {
        if (Kind != AuthKind.OAuth || !AuthMode.CanRefresh(_config)) return false;
        return await RefreshAsync(http, refused.Parameter, ct).ConfigureAwait(false);
    }

    private async Task<bool> RefreshAsync(HttpClient http, string? refused, CancellationToken ct)
    {
        await _refreshLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            // Another worker renewed it while we waited: use that one.
            if (refused != null && _accessToken != refused) return true;
            if (!AuthMode.CanRefresh(_config)) throw new AuthException("no OAuth access_token and no refresh_token to obtain one");
            var body = new JsonObject
            {
                ["grant_type"] = "refresh_token",
                ["client_id"] = _config.OAuthClientId,
                ["client_secret"] = _config.OAuthClientSecret,
                ["refresh_token"] = _refreshToken,
            };
            // A JSON body as PostAsJsonAsync sends it (application/json; charset=utf-8), without its reflection-based
            // serializer, which the Native AOT tap cannot use.
            using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
            using var response = await http.PostAsync(_tokenUrl, content, ct).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                // Atlassian answers 403 {"error":"invalid_grant",...} for a used or expired refresh token.
                var reason = TryRead(text, "error_description") ?? TryRead(text, "error") ?? $"HTTP {(int)response.StatusCode}";
                throw new AuthException($"OAuth token renewal at {_tokenUrl} failed ({(int)response.StatusCode}): {reason}; check \"refresh_token\", \"oauth_client_id\" and \"oauth_client_secret\"");
            }
            _accessToken = TryRead(text, "access_token")
                ?? throw new AuthException($"OAuth token renewal at {_tokenUrl} answered without an access_token");
            var rotated = TryRead(text, "refresh_token");
            Redactor.Process.Add([_accessToken, rotated ?? ""]);
            if (rotated != null && rotated != _refreshToken)
            {
                _refreshToken = rotated;
                _log.Warn("Atlassian issued a new OAuth refresh token and retired the old one; the config's refresh_token must be replaced before the next run");
                RefreshTokenRotated?.Invoke(rotated);
            }
            _log.Info("OAuth access token renewed");
            return true;
        }
        catch (HttpRequestException ex)
        {
            throw new ConnectionException($"cannot reach the OAuth token endpoint {_tokenUrl.Host}: {ex.Message}", ex);
        }
        finally
        {
            _refreshLock.Release();
        }
    }

    private static string? TryRead(string json, string key)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String
                ? v.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
