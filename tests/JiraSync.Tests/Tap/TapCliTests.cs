using JiraSync.Streams;
using System.Text.Json.Nodes;
using JiraSync.Simulator.Control;
using JiraSync.Tests.Support;

namespace JiraSync.Tests.Tap;

/// <summary>`jirasync tap` / `discover` as a user runs them: tap-jira compatibility, bad input, failures.</summary>
public class TapCliTests
{
    private static List<JsonObject> Lines(string stdout) =>
        stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();

    [Fact]
    public async Task Tap_jiras_own_config_catalog_and_flags_work_unchanged()
    {
        await using var h = await TapHarness.StartAsync();
        var sim = h.Simulator;
        // Exactly tap-jira's keys; the simulator's CA is trusted the way any OpenSSL program's is.
        var config = h.WriteFile("tap-jira-config.json", new JsonObject
        {
            ["base_url"] = sim.BaseUrl.ToString().TrimEnd('/'), ["username"] = sim.Username, ["password"] = sim.ApiToken,
            ["start_date"] = "2020-01-01T00:00:00Z", ["user_agent"] = "tap-jira stitch@example.com",
            ["groups"] = "jira-administrators, jira-software-users", ["request_timeout"] = 300,
        }.ToJsonString());
        var env = new Dictionary<string, string> { ["SSL_CERT_FILE"] = sim.CaCertPath };

        var discovered = await CliRunner.RunAsync(["tap", "-c", config, "-d"], env: env);
        Assert.True(discovered.ExitCode == 0, discovered.StdErr);
        var catalog = JsonNode.Parse(discovered.StdOut)!.AsObject();
        var viaDiscover = await CliRunner.RunAsync(["discover", "--config", config], env: env);
        Assert.True(viaDiscover.ExitCode == 0, viaDiscover.StdErr);
        Assert.Equal(StreamRegistry.All.Count, JsonNode.Parse(viaDiscover.StdOut)!["streams"]!.AsArray().Count);
        // Select two streams the way tap-jira's docs say: "selected": true in the stream's root metadata.
        foreach (var stream in catalog["streams"]!.AsArray())
            if ((string?)stream!["tap_stream_id"] is "projects" or "issues")
                foreach (var md in stream["metadata"]!.AsArray())
                    if (md!["breadcrumb"]!.AsArray().Count == 0) md["metadata"]!["selected"] = true;
        var properties = h.WriteFile("properties.json", catalog.ToJsonString());
        var state = h.WriteFile("state.json", """{"bookmarks":{}}""");

        var run = await CliRunner.RunAsync(["tap", "-c", config, "-p", properties, "-s", state], env: env);
        Assert.True(run.ExitCode == 0, run.StdErr);
        var lines = Lines(run.StdOut);
        var records = lines.Where(l => (string?)l["type"] == "RECORD").ToList();
        Assert.Equal(["issues", "projects"], records.Select(r => (string)r["stream"]!).Distinct().Order());
        Assert.Equal(sim.Control.ExpectedKeys()["issues"].Order(), records.Where(r => (string?)r["stream"] == "issues").Select(r => (string)r["record"]!["id"]!).Order());
        var lastState = lines.Last(l => (string?)l["type"] == "STATE")["value"]!;
        Assert.NotNull(lastState["bookmarks"]!["issues"]!["updated"]);
        Assert.Contains("INFO METRIC: ", run.StdErr);
        Assert.DoesNotContain(sim.ApiToken, run.StdErr);

        // And the printed state is a valid --state for the next run.
        var next = h.WriteFile("next-state.json", lastState.ToJsonString());
        var again = await CliRunner.RunAsync(["tap", "--config", config, "--catalog", properties, "--state", next], env: env);
        Assert.True(again.ExitCode == 0, again.StdErr);
        Assert.True(Lines(again.StdOut).Count(l => (string?)l["stream"] == "issues" && (string?)l["type"] == "RECORD") < records.Count(r => (string?)r["stream"] == "issues"));
    }

    [Theory]
    [InlineData("catalog", "{not json", "not JSON")]
    [InlineData("catalog", "nope\n", "not JSON")] // the parser quotes "nope\n": the line break must not split the error
    [InlineData("catalog", """{"streams":[{"tap_stream_id":"epics","schema":{},"metadata":[{"breadcrumb":[],"metadata":{"selected":true}}]}]}""", "unknown stream 'epics'")]
    [InlineData("catalog", """{"streams":[{"tap_stream_id":"worklogs","schema":{},"metadata":[{"breadcrumb":["properties","hours"],"metadata":{"selected":true}}]}]}""", "stream 'worklogs' has no field 'hours'")]
    [InlineData("state", "{\"bookmarks\":", "not JSON")]
    [InlineData("state", "nope\r\n", "not JSON")]
    [InlineData("state", """{"bookmarks":{"issues":{"updated":"last tuesday"}}}""", "bookmarks.issues.updated 'last tuesday' is not a date")]
    public async Task Bad_catalog_or_state_is_exit_2_with_one_line_naming_the_file(string kind, string content, string problem)
    {
        var dir = Directory.CreateTempSubdirectory("jirasync-tapcli-").FullName;
        var config = Path.Combine(dir, "config.json");
        // Never contacted: the files are checked before Jira is.
        File.WriteAllText(config, """{"base_url":"https://127.0.0.1:9","username":"u@example.com","password":"secret-token-1","start_date":"2024-01-01T00:00:00Z"}""");
        var file = Path.Combine(dir, kind + ".json");
        File.WriteAllText(file, content);
        var run = await CliRunner.RunAsync(["tap", "-c", config, kind == "catalog" ? "--catalog" : "--state", file]);
        Assert.Equal(2, run.ExitCode);
        var lines = run.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith($"error: {kind} {file}: ", lines[0]);
        Assert.Contains(problem, lines[0]);
        Assert.Equal("", run.StdOut);
    }

    [Theory]
    [InlineData(MalformedKind.HtmlPage)]
    [InlineData(MalformedKind.TruncatedJson)]
    public async Task A_response_that_is_not_the_expected_json_fails_after_what_was_already_emitted(MalformedKind kind)
    {
        // One unit at a time, resuming a run that was in projects: projects is extracted whole, then the sweep fails.
        // (By default the sweep starts first, beside other units, and may fail before any of them wrote a record.)
        await using var h = await TapHarness.StartAsync(extraConfig: new Dictionary<string, object?> { ["max_parallel_streams"] = 1 });
        var state = h.WriteFile("state.json", """{"currently_syncing":"projects","bookmarks":{}}""");
        h.Simulator.Control.Faults.NextMalformed("/rest/api/2/search/jql", kind, count: 20);
        var run = await CliRunner.RunAsync("tap", "-c", h.ConfigPath, "--state", state);
        Assert.Equal(1, run.ExitCode);
        var error = run.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last();
        Assert.StartsWith("error: ", error);
        Assert.Contains("/rest/api/2/search/jql", error);
        Assert.Contains("200", error);
        var lines = Lines(run.StdOut);
        Assert.Contains(lines, l => (string?)l["type"] == "RECORD" && (string?)l["stream"] == "projects");
        // The last STATE says the run did not finish, and holds no issues bookmark: no page of the sweep was completed.
        var lastState = lines.Last(l => (string?)l["type"] == "STATE")["value"]!;
        Assert.NotNull((string?)lastState["currently_syncing"]);
        Assert.Null(lastState["bookmarks"]!["issues"]?["updated"]);
    }

    [Fact]
    public async Task A_reader_that_stops_reading_fails_the_tap_instead_of_a_silent_success()
    {
        await using var h = await TapHarness.StartAsync();
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in new[] { CliRunner.CliDll, "tap", "-c", h.ConfigPath }) psi.ArgumentList.Add(a);
        using var process = System.Diagnostics.Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.NotNull(await process.StandardOutput.ReadLineAsync()); // the reader takes one message, then goes away
        process.StandardOutput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        Assert.Equal(1, process.ExitCode);
        Assert.Contains("broken pipe", await stderr);
    }
}
