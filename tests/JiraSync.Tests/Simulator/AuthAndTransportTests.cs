using System.Net;
using System.Net.Http.Headers;
using JiraSync.Simulator;

namespace JiraSync.Tests.Simulator;

/// <summary>TLS trust through the CA PEM only, basic and bearer auth, gzip.</summary>
public sealed class AuthAndTransportTests(CloudSimulatorFixture f) : IClassFixture<CloudSimulatorFixture>
{
    [Fact]
    public async Task Without_the_CA_the_certificate_is_not_trusted()
    {
        using var http = new SimulatorHttp(f.Sim, trustCa: false);
        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => http.Client.GetAsync("rest/api/2/serverInfo"));
        Assert.IsType<System.Security.Authentication.AuthenticationException>(ex.InnerException);
    }

    [Fact]
    public void The_CA_PEM_is_a_CA_and_the_server_name_matches_127_0_0_1()
    {
        var pem = File.ReadAllText(f.Sim.CaCertPath);
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", pem);
        using var ca = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(f.Sim.CaCertPath);
        var basic = ca.Extensions.OfType<System.Security.Cryptography.X509Certificates.X509BasicConstraintsExtension>().Single();
        Assert.True(basic.CertificateAuthority);
        Assert.Equal("127.0.0.1", f.Sim.BaseUrl.Host);
        Assert.Equal("https", f.Sim.BaseUrl.Scheme);
    }

    [Fact]
    public async Task Wrong_or_missing_credentials_get_401_with_Jira_body()
    {
        using var wrong = new SimulatorHttp(f.Sim, SimulatorHttp.Basic(f.Sim.Username, "not-the-token"));
        var (status, body, response) = await wrong.Get("rest/api/2/myself");
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("You are not authenticated. Authentication required to perform this operation.", body.GetProperty("errorMessages")[0].GetString());
        Assert.Empty(body.GetProperty("errors").EnumerateObject());
        Assert.Contains("Basic", response.Headers.WwwAuthenticate.ToString());

        using var none = new SimulatorHttp(f.Sim);
        none.Client.DefaultRequestHeaders.Authorization = null;
        Assert.Equal(HttpStatusCode.Unauthorized, (await none.Get("rest/api/2/project/search")).Status);

        // Cloud does not take a bearer personal access token.
        using var bearer = new SimulatorHttp(f.Sim, new AuthenticationHeaderValue("Bearer", f.Sim.PersonalAccessToken));
        Assert.Equal(HttpStatusCode.Unauthorized, (await bearer.Get("rest/api/2/myself")).Status);
    }

    [Fact]
    public async Task Responses_are_gzipped_when_asked()
    {
        using var raw = new SimulatorHttp(f.Sim, gzip: false);
        var request = new HttpRequestMessage(HttpMethod.Get, "rest/api/2/field");
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        using var response = await raw.Client.SendAsync(request);
        Assert.Equal("gzip", response.Content.Headers.ContentEncoding.Single());
        await using var gz = new System.IO.Compression.GZipStream(await response.Content.ReadAsStreamAsync(), System.IO.Compression.CompressionMode.Decompress);
        using var doc = await System.Text.Json.JsonDocument.ParseAsync(gz);
        Assert.True(doc.RootElement.GetArrayLength() > 10);

        using var plain = await raw.Client.GetAsync("rest/api/2/field");
        Assert.Empty(plain.Content.Headers.ContentEncoding);
    }

    [Fact]
    public async Task WriteConfig_writes_a_tap_config_that_names_the_CA()
    {
        var path = Path.Combine(Path.GetTempPath(), $"simcfg-{Guid.NewGuid():N}.json");
        try
        {
            f.Sim.WriteConfig(path, new Dictionary<string, object?> { ["projects"] = new[] { "ENG" }, ["start_date"] = "2019-01-01T00:00:00Z" });
            using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(path));
            var root = doc.RootElement;
            Assert.Equal(f.Sim.BaseUrl.ToString().TrimEnd('/'), root.GetProperty("base_url").GetString());
            Assert.Equal(f.Sim.Username, root.GetProperty("username").GetString());
            Assert.Equal(f.Sim.ApiToken, root.GetProperty("password").GetString());
            Assert.Equal(f.Sim.CaCertPath, root.GetProperty("ca_cert").GetString());
            Assert.Equal("2019-01-01T00:00:00Z", root.GetProperty("start_date").GetString());
            Assert.Equal("ENG", root.GetProperty("projects")[0].GetString());
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public async Task Without_admin_permissions_roles_and_group_members_are_403()
    {
        await using var plain = await JiraSimulator.StartAsync(new SimulatorOptions { AdminPermissions = false, Projects = 1, IssuesPerProject = 2 });
        using var http = new SimulatorHttp(plain);
        foreach (var path in new[] { "rest/api/2/role", "rest/api/2/group/member?groupname=jira-software-users" })
        {
            var (status, body, _) = await http.Get(path);
            Assert.Equal(HttpStatusCode.Forbidden, status);
            Assert.Equal("You currently don't have access to perform this operation.", body.GetProperty("errorMessages")[0].GetString());
        }
        Assert.Equal(HttpStatusCode.OK, (await http.Get("rest/api/2/project/search")).Status);
    }

    [Fact]
    public async Task Server_mode_accepts_a_bearer_PAT_and_basic_password()
    {
        await using var server = await JiraSimulator.StartAsync(new SimulatorOptions { Deployment = Deployment.Server });
        using var pat = new SimulatorHttp(server, new AuthenticationHeaderValue("Bearer", server.PersonalAccessToken));
        Assert.Equal(HttpStatusCode.OK, (await pat.Get("rest/api/2/myself")).Status);
        using var basic = new SimulatorHttp(server);
        Assert.Equal(HttpStatusCode.OK, (await basic.Get("rest/api/2/myself")).Status);
        using var wrong = new SimulatorHttp(server, new AuthenticationHeaderValue("Bearer", "nope"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.Get("rest/api/2/myself")).Status);
    }
}
