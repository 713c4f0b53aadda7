using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using JiraSync.Config;
using JiraSync.Errors;
using JiraSync.Jira;
using JiraSync.Logging;

namespace JiraSync.Tests.Jira;

/// <summary>OAuth 2.0 token renewal against a stand-in token endpoint (plain HTTP on loopback: this is
/// Atlassian's auth server's part, not Jira's, and the simulator does not play it).</summary>
public sealed class OAuthRenewalTests : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Uri _tokenUrl;
    private readonly List<JsonObject> _received = [];
    private Func<JsonObject, (int, string)> _answer = _ => (200, """{"access_token":"new-access","refresh_token":"rotated-refresh","expires_in":3600}""");

    public OAuthRenewalTests()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        _tokenUrl = new Uri($"http://127.0.0.1:{port}/oauth/token");
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _ = ServeAsync();
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext ctx;
            try { ctx = await _listener.GetContextAsync(); } catch { return; }
            using var reader = new StreamReader(ctx.Request.InputStream);
            var body = JsonNode.Parse(await reader.ReadToEndAsync())!.AsObject();
            lock (_received) _received.Add(body);
            var (status, json) = _answer(body);
            ctx.Response.StatusCode = status;
            var bytes = Encoding.UTF8.GetBytes(json);
            await ctx.Response.OutputStream.WriteAsync(bytes);
            ctx.Response.Close();
        }
    }

    public void Dispose() => _listener.Close();

    private static JiraSyncConfig OAuthConfig(string? accessToken) => new()
    {
        BaseUrl = new Uri("https://api.atlassian.com/ex/jira/abc-123/"),
        CloudId = "abc-123",
        AccessToken = accessToken,
        RefreshToken = "old-refresh",
        OAuthClientId = "client-id",
        OAuthClientSecret = "client-secret",
    };

    [Fact]
    public async Task Without_access_token_one_is_obtained_and_the_rotated_refresh_token_is_handed_over()
    {
        var auth = new JiraAuthenticator(OAuthConfig(null), new MemoryLog(), _tokenUrl);
        string? rotated = null;
        auth.RefreshTokenRotated = t => rotated = t;
        using var http = new HttpClient();

        var header = await auth.HeaderAsync(http, CancellationToken.None);

        Assert.Equal("Bearer new-access", header.ToString());
        Assert.Equal("rotated-refresh", rotated);
        var sent = Assert.Single(_received);
        Assert.Equal("refresh_token", (string?)sent["grant_type"]);
        Assert.Equal("old-refresh", (string?)sent["refresh_token"]);
        Assert.Equal("client-id", (string?)sent["client_id"]);
    }

    [Fact]
    public async Task A_refused_access_token_is_renewed_once()
    {
        var auth = new JiraAuthenticator(OAuthConfig("expired-access"), new MemoryLog(), _tokenUrl);
        using var http = new HttpClient();
        var first = await auth.HeaderAsync(http, CancellationToken.None);
        Assert.Equal("Bearer expired-access", first.ToString());
        Assert.Empty(_received);

        Assert.True(await auth.TryRenewAsync(http, first, CancellationToken.None));
        Assert.Equal("Bearer new-access", (await auth.HeaderAsync(http, CancellationToken.None)).ToString());
        Assert.Single(_received);
    }

    [Fact]
    public async Task A_dead_refresh_token_is_an_auth_error_without_secrets()
    {
        _answer = _ => (403, """{"error":"invalid_grant","error_description":"Unknown or invalid refresh token."}""");
        var auth = new JiraAuthenticator(OAuthConfig(null), new MemoryLog(), _tokenUrl);
        using var http = new HttpClient();
        var ex = await Assert.ThrowsAsync<AuthException>(async () => await auth.HeaderAsync(http, CancellationToken.None));
        Assert.Equal(ExitCodes.AuthFailed, ex.ExitCode);
        Assert.Contains("Unknown or invalid refresh token", ex.Message);
        Assert.DoesNotContain("old-refresh", ex.Message);
        Assert.DoesNotContain("client-secret", ex.Message);
    }

    [Fact]
    public void The_rotated_refresh_token_is_saved_into_the_config_file_unless_it_comes_from_the_environment()
    {
        var dir = Directory.CreateTempSubdirectory("jirasync-oauth-").FullName;
        try
        {
            var literal = Path.Combine(dir, "a.json");
            File.WriteAllText(literal, """{"cloud_id":"abc","refresh_token":"old","access_token":"x"}""");
            ConfigFileUpdater.ReplaceSecret(literal, "refresh_token", "new-one", new MemoryLog());
            Assert.Equal("new-one", (string?)JsonNode.Parse(File.ReadAllText(literal))!["refresh_token"]);
            Assert.Equal("abc", (string?)JsonNode.Parse(File.ReadAllText(literal))!["cloud_id"]);

            var fromEnv = Path.Combine(dir, "b.json");
            File.WriteAllText(fromEnv, """{"refresh_token":"${JIRA_REFRESH}"}""");
            var log = new MemoryLog();
            ConfigFileUpdater.ReplaceSecret(fromEnv, "refresh_token", "new-one", log);
            Assert.Contains("${JIRA_REFRESH}", File.ReadAllText(fromEnv));
            Assert.Contains(log.Lines, l => l.StartsWith("WARNING") && l.Contains("JIRA_REFRESH"));
            Assert.DoesNotContain(log.Lines, l => l.Contains("new-one"));
        }
        finally { Directory.Delete(dir, true); }
    }
}
