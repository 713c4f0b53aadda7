using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using JiraSync.Simulator;

namespace JiraSync.Tests.Simulator;

/// <summary>An HttpClient that trusts only the simulator's CA (X509ChainPolicy custom root trust),
/// never a disabled validation, plus small JSON helpers.</summary>
public sealed class SimulatorHttp : IDisposable
{
    public HttpClient Client { get; }
    public JiraSimulator Sim { get; }

    public SimulatorHttp(JiraSimulator sim, AuthenticationHeaderValue? auth = null, bool trustCa = true, bool gzip = true)
    {
        Sim = sim;
        var handler = new SocketsHttpHandler
        {
            AutomaticDecompression = gzip ? DecompressionMethods.GZip : DecompressionMethods.None,
            SslOptions = new SslClientAuthenticationOptions(),
        };
        if (trustCa)
        {
            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            policy.CustomTrustStore.Add(X509CertificateLoader.LoadCertificateFromFile(sim.CaCertPath));
            handler.SslOptions.CertificateChainPolicy = policy;
        }
        Client = new HttpClient(handler) { BaseAddress = sim.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        Client.DefaultRequestHeaders.Authorization = auth ?? Basic(sim.Username, sim.ApiToken);
    }

    public static AuthenticationHeaderValue Basic(string user, string secret) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{secret}")));

    public async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> Get(string pathAndQuery)
    {
        var response = await Client.GetAsync(pathAndQuery);
        return (response.StatusCode, await Parse(response), response);
    }

    public async Task<JsonElement> GetOk(string pathAndQuery)
    {
        var (status, body, _) = await Get(pathAndQuery);
        Assert.True(status == HttpStatusCode.OK, $"GET {pathAndQuery} answered {(int)status}: {body}");
        return body;
    }

    public async Task<(HttpStatusCode Status, JsonElement Body)> Post(string path, object body)
    {
        var response = await Client.PostAsync(path, new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"));
        return (response.StatusCode, await Parse(response));
    }

    public async Task<JsonElement> PostOk(string path, object body)
    {
        var (status, json) = await Post(path, body);
        Assert.True(status == HttpStatusCode.OK, $"POST {path} answered {(int)status}: {json}");
        return json;
    }

    private static async Task<JsonElement> Parse(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (string.IsNullOrEmpty(text)) return default;
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }

    public static string[] Keys(JsonElement obj) => obj.EnumerateObject().Select(p => p.Name).ToArray();

    public void Dispose() => Client.Dispose();
}

/// <summary>One default Cloud simulator shared by a test class (read-only tests only).</summary>
public sealed class CloudSimulatorFixture : IAsyncLifetime
{
    public JiraSimulator Sim { get; private set; } = null!;
    public SimulatorHttp Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Sim = await JiraSimulator.StartAsync(new SimulatorOptions());
        Http = new SimulatorHttp(Sim);
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Sim.DisposeAsync();
    }
}
