using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using JiraSync.Simulator.Control;
using JiraSync.Simulator.Endpoints;
using JiraSync.Simulator.Http;
using JiraSync.Simulator.Model;
using JiraSync.Simulator.Rendering;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace JiraSync.Simulator;

/// <summary>A simulated Jira (Cloud by default, or Server/DC) on https://127.0.0.1:PORT/ with a generated
/// CA. Start with <see cref="StartAsync"/>, drive it through <see cref="Control"/>, dispose to stop.</summary>
public sealed class JiraSimulator : IAsyncDisposable
{
    private readonly WebApplication _app;

    private JiraSimulator(WebApplication app, Uri baseUrl, string caCertPath, SimulatorOptions options,
        SimulatorCredentials creds, SimulatorControl control)
    {
        _app = app;
        BaseUrl = baseUrl;
        CaCertPath = caCertPath;
        Options = options;
        Username = creds.Username;
        ApiToken = creds.ApiToken;
        PersonalAccessToken = creds.PersonalAccessToken;
        Control = control;
    }

    public SimulatorOptions Options { get; }
    /// <summary>https://127.0.0.1:PORT/ (trailing slash).</summary>
    public Uri BaseUrl { get; }
    /// <summary>PEM of the CA that signed the server certificate; give it to clients as ca_cert.</summary>
    public string CaCertPath { get; }
    /// <summary>The user name for basic auth (an email on Cloud, a login name on Server).</summary>
    public string Username { get; }
    /// <summary>The API token (Cloud) or password (Server) for basic auth.</summary>
    public string ApiToken { get; }
    /// <summary>Server mode only: accepted as `Authorization: Bearer`.</summary>
    public string PersonalAccessToken { get; }
    public SimulatorControl Control { get; }

    public static async Task<JiraSimulator> StartAsync(SimulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new SimulatorOptions();
        var store = new SimulatorStore(options);
        DataGenerator.Fill(store);
        var (serverCert, ca) = SelfSignedCertificates.Create();
        var caPath = SelfSignedCertificates.WritePem(ca, options.CertDirectory);
        var creds = new SimulatorCredentials(
            options.Deployment == Deployment.Cloud ? "sim.admin@example.com" : "sim.admin",
            $"simtoken-{(uint)TextGenerator.Mix(options.Seed, 77):x8}",
            $"simpat-{(uint)TextGenerator.Mix(options.Seed, 78):x8}{(uint)TextGenerator.Mix(options.Seed, 79):x8}");
        var control = new SimulatorControl(store) { LatencyMs = options.LatencyMs, LatencyPerKiBMs = options.LatencyPerKiBMs };

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(IPAddress.Loopback, options.Port, l => l.UseHttps(serverCert));
        });
        if (options.Gzip)
        {
            builder.Services.AddResponseCompression(o =>
            {
                o.EnableForHttps = true;   // a local test server; BREACH is not a concern here
                o.Providers.Add<GzipCompressionProvider>();
                o.MimeTypes = ["application/json", "text/html"];
            });
            builder.Services.Configure<GzipCompressionProviderOptions>(o => o.Level = System.IO.Compression.CompressionLevel.Fastest);
        }
        var app = builder.Build();

        var renderer = new Renderer(store);
        var sim = new SimContext(store, renderer, control);
        if (sim.RateLimit is { } bucket) app.Lifetime.ApplicationStopped.Register(bucket.Dispose);
        if (options.Gzip) app.UseResponseCompression();
        app.Use((ctx, next) => SimMiddleware.LogRequests(ctx, next, sim));
        app.Use(ErrorMapping.Handle);
        app.Use((ctx, next) => SimMiddleware.LatencyAndFaults(ctx, next, sim));
        app.Use((ctx, next) => SimMiddleware.Authenticate(ctx, next, sim, creds));
        app.Use(SimMiddleware.Xsrf);
        var cache = options.CacheResponses ? new ResponseCache() : null;
        app.Use((ctx, next) => SimMiddleware.SizeLatencyAndCache(ctx, next, sim, cache));
        EndpointMap.MapAll(app, sim);
        try { await app.StartAsync(cancellationToken); }
        catch
        {
            await app.DisposeAsync();
            if (options.CertDirectory is null) Directory.Delete(Path.GetDirectoryName(caPath)!, recursive: true);
            throw;
        }
        // Self links need the port, which is known only once Kestrel has bound it; nobody can call
        // before this method returns the URL.
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var baseUrl = new Uri($"https://127.0.0.1:{new Uri(address).Port}/");
        renderer.BaseUrl = baseUrl.ToString();
        return new JiraSimulator(app, baseUrl, caPath, options, creds, control);
    }

    /// <summary>Writes a tap-jira style config (base_url, username, password, ca_cert, start_date early
    /// enough to cover all data) and returns the path. <paramref name="extra"/> adds or overrides keys.</summary>
    public string WriteConfig(string path, IDictionary<string, object?>? extra = null)
    {
        var config = new JsonObject
        {
            ["base_url"] = BaseUrl.ToString().TrimEnd('/'),
            ["username"] = Username,
            ["password"] = ApiToken,
            ["ca_cert"] = CaCertPath,
            // Generated data spans the two years before the clock start; three years back covers it all.
            ["start_date"] = Options.ClockStart.UtcDateTime.AddYears(-3).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            ["user_agent"] = "jirasync-simulator-config",
        };
        if (extra is not null)
            foreach (var (k, v) in extra) config[k] = v is null ? null : JsonSerializer.SerializeToNode(v);
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        File.WriteAllText(path, config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        // The CA is useless once the server is gone; remove the temp directory we made for it.
        if (Options.CertDirectory is null)
        {
            try { Directory.Delete(Path.GetDirectoryName(CaCertPath)!, recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }
}
