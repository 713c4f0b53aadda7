using System.Text.Json.Nodes;
using JiraSync.Tests.Support;

namespace JiraSync.Tests.Tap;

/// <summary>The Native AOT tap-jirasync (src/JiraSync.Tap) against `jirasync tap` (the CLI under the JIT): the same
/// config gives the same Singer output and the same error lines, so the native build can stand in for it.</summary>
public class NativeTapTests
{
    /// <summary>What a Singer target keeps of one run: each stream's SCHEMA message, its records (as canonical JSON,
    /// sorted: concurrent units interleave streams in any order) and the last STATE value.</summary>
    private sealed record Output(Dictionary<string, string> Schemas, Dictionary<string, List<string>> Records, string FinalState);

    private static Output Read(string stdout)
    {
        var schemas = new Dictionary<string, string>();
        var records = new Dictionary<string, List<string>>();
        string? state = null;
        foreach (var line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var message = JsonNode.Parse(line)!.AsObject();
            switch ((string?)message["type"])
            {
                case "SCHEMA": schemas[(string)message["stream"]!] = Canonical(message); break;
                case "RECORD":
                    var stream = (string)message["stream"]!;
                    if (!records.TryGetValue(stream, out var list)) records[stream] = list = [];
                    list.Add(Canonical(message["record"]));
                    break;
                case "STATE": state = Canonical(message["value"]); break;
            }
        }
        foreach (var list in records.Values) list.Sort(StringComparer.Ordinal);
        return new Output(schemas, records, state ?? throw new Xunit.Sdk.XunitException("no STATE message"));
    }

    /// <summary>JSON text with every object's properties in ordinal order, so equal values give equal text.</summary>
    private static string Canonical(JsonNode? node) => Sort(node)?.ToJsonString() ?? "null";

    private static JsonNode? Sort(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Sort(p.Value)))),
        JsonArray a => new JsonArray(a.Select(Sort).ToArray()),
        _ => node?.DeepClone(),
    };

    private static void AssertSame(Output jit, Output native)
    {
        Assert.Equal(jit.Schemas.Keys.Order(), native.Schemas.Keys.Order());
        foreach (var (stream, schema) in jit.Schemas) Assert.True(schema == native.Schemas[stream], $"SCHEMA of {stream} differs");
        Assert.Equal(jit.Records.Keys.Order(), native.Records.Keys.Order());
        foreach (var (stream, records) in jit.Records)
        {
            Assert.True(records.Count == native.Records[stream].Count, $"{stream}: {records.Count} records under the JIT, {native.Records[stream].Count} native");
            Assert.True(records.SequenceEqual(native.Records[stream]), $"{stream}: records differ");
        }
        Assert.Equal(jit.FinalState, native.FinalState);
    }

    [Fact]
    public async Task Native_tap_emits_what_jirasync_tap_emits_for_a_full_and_an_incremental_run()
    {
        var native = await NativeTap.PathAsync();
        // Small data; the Jira user is in America/New_York, so JQL times are converted to a zone that is not UTC.
        await using var h = await TapHarness.StartAsync();
        var expectedIssues = h.Simulator.Control.ExpectedKeys()["issues"].Count;

        var jitRun = await CliRunner.RunAsync("tap", "--config", h.ConfigPath);
        Assert.True(jitRun.ExitCode == 0, jitRun.StdErr);
        var nativeRun = await CliRunner.RunExecutableAsync(native, ["--config", h.ConfigPath]);
        Assert.True(nativeRun.ExitCode == 0, nativeRun.StdErr);
        var jit = Read(jitRun.StdOut);
        AssertSame(jit, Read(nativeRun.StdOut));
        Assert.Equal(expectedIssues, jit.Records["issues"].Count); // a comparison of two empty outputs proves nothing
        Assert.True(jit.Records.Count > 10, string.Join(", ", jit.Records.Keys));

        // From that state (bookmarks written in the user's zone, look-back window) both resume alike.
        var state = h.WriteFile("state.json", jit.FinalState);
        var jitAgain = await CliRunner.RunAsync("tap", "-c", h.ConfigPath, "-s", state);
        Assert.True(jitAgain.ExitCode == 0, jitAgain.StdErr);
        var nativeAgain = await CliRunner.RunExecutableAsync(native, ["-c", h.ConfigPath, "-s", state]);
        Assert.True(nativeAgain.ExitCode == 0, nativeAgain.StdErr);
        AssertSame(Read(jitAgain.StdOut), Read(nativeAgain.StdOut));

        // --about needs no config and names the same tap and version.
        var jitAbout = await CliRunner.RunAsync("tap", "--about");
        var nativeAbout = await CliRunner.RunExecutableAsync(native, ["--about"]);
        Assert.Equal((0, jitAbout.StdOut), (nativeAbout.ExitCode, nativeAbout.StdOut));
    }

    [Theory]
    [InlineData("missing-config")]
    [InlineData("bad-catalog")]
    [InlineData("unreachable")]
    public async Task Native_tap_fails_with_the_same_line_and_exit_code(string problem)
    {
        var native = await NativeTap.PathAsync();
        var dir = Directory.CreateTempSubdirectory("jirasync-native-tap-").FullName;
        var config = Path.Combine(dir, "config.json");
        // Port 9 (discard) on the loopback: nothing listens, so the connection is refused at once.
        File.WriteAllText(config, """{"base_url":"https://127.0.0.1:9","username":"u@example.com","password":"secret-token-1","start_date":"2024-01-01T00:00:00Z"}""");
        var catalog = Path.Combine(dir, "catalog.json");
        File.WriteAllText(catalog, "{not json");
        string[] args = problem switch
        {
            "missing-config" => ["--config", Path.Combine(dir, "absent.json")],
            "bad-catalog" => ["--config", config, "--catalog", catalog],
            _ => ["--config", config],
        };

        var jit = await CliRunner.RunAsync(["tap", .. args]);
        var nat = await CliRunner.RunExecutableAsync(native, args);
        Assert.NotEqual(0, jit.ExitCode);
        Assert.Equal(jit.ExitCode, nat.ExitCode);
        var jitError = jit.StdErr.Split('\n').Single(l => l.StartsWith("error: "));
        Assert.Equal(jitError, nat.StdErr.Split('\n').Single(l => l.StartsWith("error: ")));
        Assert.DoesNotContain("secret-token-1", nat.StdErr);
        Assert.DoesNotContain("   at ", nat.StdErr); // no stack trace without --verbose
    }
}
