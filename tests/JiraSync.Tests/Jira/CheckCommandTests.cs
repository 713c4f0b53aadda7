using System.Text.Json.Nodes;
using JiraSync.Tests.Support;

namespace JiraSync.Tests.Jira;

/// <summary>`jirasync check` run as a child process against the simulator: output lines and exit codes.</summary>
public class CheckCommandTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("jirasync-check-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string WriteConfig(Action<JsonObject>? edit = null)
    {
        var path = Path.Combine(_dir, $"config-{Guid.NewGuid():N}.json");
        fixture.Sim.WriteConfig(path);
        if (edit != null)
        {
            var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            edit(json);
            File.WriteAllText(path, json.ToJsonString());
        }
        return path;
    }

    private static string[] ErrorLines(CliResult r) => r.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public async Task Reports_one_line_per_fact()
    {
        fixture.Reset();
        var result = await CliRunner.RunAsync("check", "--config", WriteConfig());
        Assert.True(result.ExitCode == 0, result.StdErr);
        var lines = result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["URL:", "TLS:", "User:", "Deployment:", "Time zone:", "Projects:"], lines.Select(l => l[..l.IndexOf(':')] + ":"));
        Assert.Contains(fixture.Sim.BaseUrl.ToString(), lines[0]);
        Assert.Contains("verified", lines[1]);
        Assert.Contains("from ca_cert", lines[1]);
        Assert.Contains("accountId", lines[2]);
        Assert.Contains("Cloud", lines[3]);
        Assert.Contains("America/New_York", lines[4]);
        Assert.EndsWith("2 visible", lines[5].TrimEnd());
    }

    [Fact]
    public async Task Wrong_credentials_exit_3_with_one_line_and_no_secret()
    {
        const string wrong = "definitely-Wrong-Token-7731";
        var result = await CliRunner.RunAsync("check", "--config", WriteConfig(c => c["password"] = wrong));
        Assert.Equal(3, result.ExitCode);
        var line = Assert.Single(ErrorLines(result));
        Assert.StartsWith("error: Jira refused the credentials", line);
        Assert.DoesNotContain(wrong, result.StdErr + result.StdOut);
        Assert.DoesNotContain(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{fixture.Sim.Username}:{wrong}")), result.StdErr);
    }

    [Fact]
    public async Task Password_from_the_environment()
    {
        var result = await CliRunner.RunAsync(["check", "--config", WriteConfig(c => c["password"] = "${SIM_TOKEN}")],
            env: new Dictionary<string, string> { ["SIM_TOKEN"] = fixture.Sim.ApiToken });
        Assert.True(result.ExitCode == 0, result.StdErr);
    }

    [Fact]
    public async Task Plain_http_exits_2()
    {
        var url = fixture.Sim.BaseUrl.ToString().Replace("https://", "http://");
        var result = await CliRunner.RunAsync("check", "--config", WriteConfig(c => c["base_url"] = url));
        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(ErrorLines(result));
        Assert.Contains("plain HTTP would expose credentials", line);
    }

    [Fact]
    public async Task Untrusted_certificate_without_ca_cert_exits_4()
    {
        var result = await CliRunner.RunAsync("check", "--config", WriteConfig(c => c.Remove("ca_cert")));
        Assert.Equal(4, result.ExitCode);
        var line = Assert.Single(ErrorLines(result));
        Assert.Contains("certificate not trusted", line);
        Assert.Contains("set ca_cert", line);
    }

    [Fact]
    public async Task Unreachable_host_exits_4()
    {
        // A port nothing listens on: bind one, note it, free it.
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var result = await CliRunner.RunAsync("check", "--config", WriteConfig(c => c["base_url"] = $"https://127.0.0.1:{port}/"));
        Assert.Equal(4, result.ExitCode);
        var line = Assert.Single(ErrorLines(result), l => l.StartsWith("error:"));
        Assert.Contains($"cannot reach Jira at 127.0.0.1:{port}", line);
    }

    [Theory]
    [InlineData("{ \"base_url\": ", "is not valid JSON (line 1")]
    [InlineData("{\"base_url\":\"https://x.example\",\"username\":\"u\"}", "\"password\" is missing")]
    [InlineData("{\"base_url\":\"https://x.example\",\"username\":\"u\",\"password\":\"p\",\"start_date\":\"last week\"}", "\"start_date\" must be an ISO 8601 date")]
    [InlineData("{\"base_url\":\"https://x.example\",\"username\":\"u\",\"password\":\"p\",\"max_concurrency\":\"many\"}", "\"max_concurrency\" must be a whole number")]
    public async Task Config_errors_are_one_line_exit_2(string json, string expected)
    {
        var path = Path.Combine(_dir, "bad.json");
        File.WriteAllText(path, json);
        var result = await CliRunner.RunAsync("check", "--config", path);
        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(ErrorLines(result));
        Assert.StartsWith("error: ", line);
        Assert.Contains(expected, line);
    }

    [Fact]
    public async Task Missing_config_file_exits_2()
    {
        var result = await CliRunner.RunAsync("check", "--config", Path.Combine(_dir, "nope.json"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("cannot read config file", Assert.Single(ErrorLines(result)));
    }
}

/// <summary>The self-managed path: Server deployment, personal access token, the plain project list.</summary>
public class CheckServerTests(ServerSimulatorFixture fixture) : IClassFixture<ServerSimulatorFixture>
{
    [Fact]
    public async Task Personal_access_token_on_server()
    {
        var path = Path.Combine(Path.GetTempPath(), $"jirasync-check-server-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(path, new JsonObject
            {
                ["base_url"] = fixture.Sim.BaseUrl.ToString(),
                ["personal_access_token"] = fixture.Sim.PersonalAccessToken,
                ["ca_cert"] = fixture.Sim.CaCertPath,
            }.ToJsonString());
            var result = await CliRunner.RunAsync("check", "--config", path);
            Assert.True(result.ExitCode == 0, result.StdErr);
            Assert.Contains("Deployment:  Server", result.StdOut);
            Assert.Contains("Europe/Berlin", result.StdOut);
            Assert.Contains("(key ", result.StdOut);
            Assert.Contains("Projects:    2 visible", result.StdOut);
        }
        finally { File.Delete(path); }
    }
}
