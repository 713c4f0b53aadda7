using JiraSync.Tests.Support;

namespace JiraSync.Tests.Loading;

/// <summary>`jirasync target` as a user runs it: Singer lines on stdin, the real CLI process.</summary>
public class TargetCommandTests
{
    private const string SchemaLine = """{"type":"SCHEMA","stream":"issues","schema":{"type":"object","properties":{"id":{"type":"string"},"votes":{"type":["null","integer"]}}},"key_properties":["id"]}""";

    private static string Lines(params string[] lines) => string.Join("\n", lines) + "\n";

    [Fact]
    public async Task Loads_and_echoes_each_committed_state()
    {
        await using var db = new TestDatabase("duckdb");
        var result = await CliRunner.RunAsync(["target", "--destination", db.Uri, "--batch-rows", "1"], Lines(
            SchemaLine,
            """{"type":"RECORD","stream":"issues","record":{"id":"1","votes":2},"time_extracted":"2024-05-01T10:00:00.000000Z"}""",
            """{"type":"STATE","value":{"bookmarks":{"issues":{"updated":"a"}}}}""",
            """{"type":"record","stream":"issues","record":{"id":"2","votes":null}}""",
            """{"type":"STATE","value":{"bookmarks":{"issues":{"updated":"b"}}}}"""));
        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Equal(["""{"bookmarks":{"issues":{"updated":"a"}}}""", """{"bookmarks":{"issues":{"updated":"b"}}}"""],
            result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(2L, Convert.ToInt64(await db.ScalarAsync("""SELECT count(*) FROM "issues" """)));
    }

    [Theory]
    [InlineData("{not json", "stdin line 3: not JSON")]
    [InlineData("""{"type":"RECORD","stream":"users","record":{"id":"9"}}""", "stdin line 3: RECORD for stream 'users'")]
    [InlineData("""{"type":"RECORD","stream":"issues","record":{"id":"9","votes":"many"}}""", "stdin line 3: RECORD for stream 'issues' violates its SCHEMA: property 'votes'")]
    [InlineData("""{"type":"RECORD","stream":"issues","record":{"votes":1}}""", "stdin line 3: RECORD for stream 'issues' has no value for key property 'id'")]
    public async Task A_bad_line_fails_with_exit_1_its_line_number_and_reason(string badLine, string expected)
    {
        await using var db = new TestDatabase("duckdb");
        var result = await CliRunner.RunAsync(["target", "--destination", db.Uri, "--batch-rows", "1"], Lines(
            SchemaLine,
            """{"type":"RECORD","stream":"issues","record":{"id":"1","votes":1}}""",
            badLine,
            """{"type":"STATE","value":{"n":1}}"""));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error: " + expected, result.StdErr);
        Assert.DoesNotContain("   at ", result.StdErr);
        Assert.Equal("", result.StdOut); // the state after the bad line was never committed, so never echoed
    }

    [Fact]
    public async Task Rows_committed_before_a_bad_line_stay()
    {
        await using var db = new TestDatabase("duckdb");
        var result = await CliRunner.RunAsync(["target", "--destination", db.Uri, "--batch-rows", "1"], Lines(
            SchemaLine,
            """{"type":"RECORD","stream":"issues","record":{"id":"1","votes":1}}""",
            """{"type":"STATE","value":{"n":1}}""",
            """{"type":"RECORD","stream":"issues","record":{"id":"2","votes":1}}""",
            "garbage"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("stdin line 5", result.StdErr);
        Assert.Equal("""{"n":1}""", result.StdOut.Trim());
        Assert.Equal(["1"], (await db.QueryAsync("""SELECT "id" FROM "issues" """)).Select(r => (string)r["id"]!));
    }

    [Fact]
    public async Task A_singer_target_config_file_names_the_destination()
    {
        await using var db = new TestDatabase("duckdb");
        var config = Path.Combine(db.Dir, "target.json");
        await File.WriteAllTextAsync(config, $$"""{"destination": "{{db.Uri}}", "batch_rows": 1}""");
        var result = await CliRunner.RunAsync(["target", "--config", config], Lines(
            SchemaLine, """{"type":"RECORD","stream":"issues","record":{"id":"1","votes":1}}""", """{"type":"STATE","value":{"n":1}}"""));
        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Equal(1L, Convert.ToInt64(await db.ScalarAsync("""SELECT count(*) FROM "issues" """)));

        await File.WriteAllTextAsync(config, "{not json");
        var bad = await CliRunner.RunAsync(["target", "--config", config], "");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("is not valid JSON", bad.StdErr);
    }

    [Theory]
    [InlineData("duckdb:/proc/no-such-dir/x.duckdb", "cannot create the directory of DuckDB database", 2)]
    [InlineData("jsonl:/proc/no-such-dir/out", "cannot create the jsonl destination directory", 2)]
    [InlineData("postgres://loader:hunter22@127.0.0.1:1/db", "cannot connect to PostgreSQL postgres://loader@127.0.0.1:1/db", 1)]
    public async Task An_unusable_destination_is_one_clear_line_without_the_password(string uri, string expected, int exit)
    {
        var result = await CliRunner.RunAsync(["target", "--destination", uri], "");
        Assert.Equal(exit, result.ExitCode);
        Assert.Contains("error: " + expected, result.StdErr);
        Assert.DoesNotContain("hunter22", result.StdErr);
        Assert.DoesNotContain("   at ", result.StdErr);
    }

    [Fact]
    public async Task An_unknown_destination_is_bad_usage()
    {
        var result = await CliRunner.RunAsync(["target", "--destination", "oracle://x"], "");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("unsupported destination", result.StdErr);
    }
}
