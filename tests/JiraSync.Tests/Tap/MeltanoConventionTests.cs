using System.Text.Json;
using System.Text.Json.Nodes;
using JiraSync.Config;
using JiraSync.Logging;
using JiraSync.Streams;
using JiraSync.Tests.Support;

namespace JiraSync.Tests.Tap;

/// <summary>The Meltano Singer SDK's conventions: `tap --about` and `tap --test`, run as a user (or Meltano) runs them.</summary>
public class MeltanoConventionTests
{
    [Fact]
    public async Task About_as_json_lists_name_version_capabilities_and_every_config_key_with_secrets_marked()
    {
        var result = await CliRunner.RunAsync("tap", "--about", "--format", "json");
        Assert.Equal(0, result.ExitCode);
        var about = JsonDocument.Parse(result.StdOut).RootElement;
        Assert.Equal("tap-jirasync", about.GetProperty("name").GetString());
        Assert.Matches(@"^\d+\.\d+\.\d+", about.GetProperty("version").GetString());
        var capabilities = about.GetProperty("capabilities").EnumerateArray().Select(c => c.GetString()).ToList();
        Assert.Superset(new HashSet<string?> { "catalog", "discover", "state", "about" }, capabilities.ToHashSet());
        var settings = about.GetProperty("settings").GetProperty("properties");
        // The keys a tap-jira config holds (singer-io/tap-jira README) and ours, written out here rather than read from the code.
        string[] expected = ["base_url", "username", "password", "start_date", "user_agent", "request_timeout", "groups",
            "cloud_id", "access_token", "refresh_token", "oauth_client_id", "oauth_client_secret",
            "personal_access_token", "ca_cert", "projects", "lookback_minutes", "max_concurrency", "max_parallel_streams", "page_size", "destination"];
        Assert.Equal(expected.Order(), settings.EnumerateObject().Select(p => p.Name).Order());
        string[] secrets = ["password", "personal_access_token", "access_token", "refresh_token", "oauth_client_secret"];
        foreach (var p in settings.EnumerateObject())
        {
            Assert.False(string.IsNullOrWhiteSpace(p.Value.GetProperty("description").GetString()), p.Name);
            Assert.True(p.Value.TryGetProperty("type", out _), p.Name);
            var secret = p.Value.TryGetProperty("secret", out var s) && s.GetBoolean();
            Assert.True(secrets.Contains(p.Name) == secret, $"{p.Name}: secret {secret}");
        }
        Assert.Equal("integer", settings.GetProperty("max_concurrency").GetProperty("type").GetString());
        Assert.Equal("array", settings.GetProperty("projects").GetProperty("type").GetString());
        Assert.Equal(64, settings.GetProperty("max_concurrency").GetProperty("maximum").GetInt32());

        var markdown = await CliRunner.RunAsync("tap", "--about", "--format", "markdown");
        Assert.Equal(0, markdown.ExitCode);
        Assert.StartsWith("# `tap-jirasync`", markdown.StdOut);
        Assert.Contains("| password | string | yes |", markdown.StdOut);
    }

    [Fact]
    public void The_config_loader_accepts_exactly_the_keys_about_lists()
    {
        Assert.Equal(ConfigSettings.All.Select(s => s.Name).Order(), ConfigLoader.KnownKeys.Order());
        // A key about lists but the loader would ignore would warn "unknown key": none does.
        var log = new MemoryLog();
        ConfigLoader.Parse("""{"base_url":"https://x.example.com","username":"u","password":"p","lookback_minutes":5,"max_concurrency":2,"page_size":50,"destination":"duckdb:a.duckdb"}""", log: log);
        Assert.DoesNotContain(log.Lines, l => l.Contains("unknown key"));
        var tooMany = Assert.Throws<JiraSync.Errors.ConfigException>(() => ConfigLoader.Parse("""{"base_url":"https://x.example.com","username":"u","password":"p","max_concurrency":65}"""));
        Assert.Contains("between 1 and 64", tooMany.Message);
    }

    [Fact]
    public async Task Test_reads_one_record_of_every_stream_and_exits_0_and_a_wrong_password_is_exit_1_in_one_line()
    {
        await using var h = await TapHarness.StartAsync();
        var ok = await CliRunner.RunAsync("tap", "--config", h.ConfigPath, "--test");
        Assert.True(ok.ExitCode == 0, ok.StdErr);
        var messages = ok.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        var records = messages.Where(m => (string?)m["type"] == "RECORD").GroupBy(m => (string)m["stream"]!).ToList();
        var every = StreamRegistry.All.Select(s => s.Name).ToList();
        Assert.Equal(every.Order(), records.Select(g => g.Key).Order());
        Assert.All(records, g => Assert.Single(g));
        Assert.DoesNotContain(messages, m => (string?)m["type"] == "STATE");
        Assert.Contains($"connection test passed: {every.Count} of {every.Count} streams", ok.StdErr);

        var config = JsonNode.Parse(File.ReadAllText(h.ConfigPath))!.AsObject();
        config["password"] = "not-the-token";
        var bad = h.WriteFile("wrong-password.json", config.ToJsonString());
        var refused = await CliRunner.RunAsync("tap", "--config", bad, "--test");
        Assert.Equal(1, refused.ExitCode);
        Assert.Equal("", refused.StdOut);
        var line = Assert.Single(refused.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("connection test failed", line);
        Assert.Contains("401", line);
        Assert.DoesNotContain("not-the-token", refused.StdErr);
    }
}
