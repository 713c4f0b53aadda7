using System.Diagnostics;
using System.Text.Json.Nodes;
using JiraSync.Tests.Jira;
using JiraSync.Tests.Support;

namespace JiraSync.Tests.Cli;

/// <summary>Inputs that used to end in a wrong message, a crash, or an exit 0 that did the wrong amount of work:
/// each is now a usage error (exit 2, one line saying what to write instead) or a warning saying what happens.</summary>
public class BadInputTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("jirasync-bad-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string File(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    private string Config(Action<JsonObject>? edit = null)
    {
        var path = Path.Combine(_dir, $"config-{Guid.NewGuid():N}.json");
        fixture.Sim.WriteConfig(path);
        if (edit != null)
        {
            var json = JsonNode.Parse(System.IO.File.ReadAllText(path))!.AsObject();
            edit(json);
            System.IO.File.WriteAllText(path, json.ToJsonString());
        }
        return path;
    }

    private static string OneError(CliResult r)
    {
        var errors = r.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("error: ")).ToList();
        Assert.True(errors.Count == 1, r.StdErr);
        Assert.DoesNotContain("   at ", r.StdErr);
        return errors[0];
    }

    [Theory]
    [InlineData("synk", "unknown command 'synk'; did you mean 'sync'?")]
    [InlineData("chekc", "unknown command 'chekc'; did you mean 'check'?")]
    public async Task A_misspelt_command_is_named_with_the_nearest_one(string word, string expected)
    {
        var result = await CliRunner.RunAsync(word, "--config", "x.json");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"error: {expected}", OneError(result));
    }

    [Theory]
    [InlineData("@hourly")]
    [InlineData("@daily")]
    public async Task Cron_macros_are_not_read_as_response_files(string macro)
    {
        // The config is empty on purpose: the run stops there, after --cron was parsed.
        var result = await CliRunner.RunAsync("schedule", "--cron", macro, "--config", File("empty.json", ""), "--max-runs", "1");
        Assert.Equal(2, result.ExitCode);
        Assert.DoesNotContain("Response file", result.StdErr);
        Assert.EndsWith("the file is empty", OneError(result));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  \n\t ")]
    public async Task An_empty_config_says_the_file_is_empty(string text)
    {
        var path = File("config.json", text);
        var result = await CliRunner.RunAsync("check", "--config", path);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"error: config file {path}: the file is empty", OneError(result));
    }

    [Fact]
    public async Task Every_file_the_user_names_reports_its_real_cause()
    {
        var dir = Directory.CreateDirectory(Path.Combine(_dir, "a-directory")).FullName;
        var config = await CliRunner.RunAsync("check", "--config", dir);
        Assert.Equal(2, config.ExitCode);
        Assert.Equal($"error: cannot read config file {dir}: it is a directory, not a file", OneError(config));

        var catalog = await CliRunner.RunAsync("tap", "--config", Config(), "--catalog", dir);
        Assert.Equal(2, catalog.ExitCode);
        Assert.Equal($"error: cannot read catalog {dir}: it is a directory, not a file", OneError(catalog));

        var state = await CliRunner.RunAsync("tap", "--config", Config(), "--state", Path.Combine(_dir, "nowhere", "state.json"));
        Assert.Equal(2, state.ExitCode);
        Assert.Contains($"no such directory {Path.Combine(_dir, "nowhere")}", OneError(state));

        var caCert = await CliRunner.RunAsync("check", "--config", Config(c => c["ca_cert"] = dir));
        Assert.Equal(2, caCert.ExitCode);
        Assert.Contains("it is a directory, not a file", OneError(caCert));

        var destination = Directory.CreateDirectory(Path.Combine(_dir, "history")).FullName;
        var report = await CliRunner.RunAsync("runs", "--destination", "jsonl:" + destination, "--html", dir);
        Assert.Equal(2, report.ExitCode);
        Assert.Equal($"error: cannot write the HTML report to {dir}: it is a directory, not a file", OneError(report));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" , ")]
    public async Task Streams_naming_nothing_is_bad_usage(string streams)
    {
        var result = await CliRunner.RunAsync("sync", "--config", Config(), "--streams", streams, "--destination", "jsonl:" + Path.Combine(_dir, "out"));
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: --streams names no stream", OneError(result));
        Assert.False(Directory.Exists(Path.Combine(_dir, "out")));
    }

    [Theory]
    [InlineData("sync", "0")]
    [InlineData("sync", "-5")]
    [InlineData("target", "0")]
    public async Task Batch_rows_below_one_is_bad_usage(string command, string rows)
    {
        var result = await CliRunner.RunAsync(command, "--batch-rows", rows, "--config", Config(), "--destination", "jsonl:" + Path.Combine(_dir, "out"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("error: --batch-rows must be at least 1", result.StdErr);
    }

    [Fact]
    public async Task Tap_state_redirected_onto_itself_is_refused_before_anything_runs()
    {
        fixture.Reset();
        var state = File("s.json", """{"bookmarks":{"issues":{"updated":"2026-10-01T00:00:00.000000Z"}}}""");
        var psi = new ProcessStartInfo("bash") { RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _dir };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add($"dotnet '{CliRunner.CliDll}' tap --config '{Config()}' --state s.json > s.json");
        using var process = Process.Start(psi)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(2, process.ExitCode);
        Assert.Contains("error: --state s.json is also where standard output goes", stderr);
        Assert.Empty(fixture.Sim.Control.Requests.Entries); // Jira was not asked anything
        Assert.True(System.IO.File.Exists(state));
    }

    [Theory]
    [InlineData("", "is empty: every selected stream is extracted from start_date (a full sync)")]
    [InlineData("{}", "holds no bookmarks: every selected stream is extracted from start_date (a full sync)")]
    public async Task An_empty_state_warns_that_the_run_is_a_full_sync(string text, string warning)
    {
        fixture.Reset();
        var state = File("state.json", text);
        var catalog = File("catalog.json", SelectOnly("resolutions"));
        var result = await CliRunner.RunAsync("tap", "--config", Config(), "--catalog", catalog, "--state", state);
        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Contains($"WARNING state {state} {warning}", result.StdErr);
    }

    [Theory]
    [InlineData("""{"currently_syncing":null,"value":{"x":1}}""", "has no \"bookmarks\"")]
    [InlineData("""{"bookmarks":{"isues":{"updated":"2025-01-01T00:00:00Z"}}}""", "bookmarks name the unknown stream 'isues'")]
    [InlineData("""{"bookmarks":{},"currently_syncing":"sprint"}""", "currently_syncing names the unknown stream 'sprint'")]
    public async Task A_state_from_another_tool_or_naming_an_unknown_stream_is_exit_2(string text, string expected)
    {
        var state = File("state.json", text);
        var result = await CliRunner.RunAsync("tap", "--config", Config(), "--state", state);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, OneError(result));
    }

    [Theory]
    [InlineData("\"yes\"")]
    [InlineData("1")]
    public async Task A_catalog_selected_flag_that_is_not_a_boolean_is_exit_2(string flag)
    {
        var catalog = JsonNode.Parse(SelectOnly("resolutions"))!;
        foreach (var md in catalog["streams"]![0]!["metadata"]!.AsArray())
            if (md!["breadcrumb"]!.AsArray().Count == 0) md["metadata"]!["selected"] = JsonNode.Parse(flag);
        var path = File("catalog.json", catalog.ToJsonString());
        var result = await CliRunner.RunAsync("tap", "--config", Config(), "--catalog", path);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"error: catalog {path}: stream 'resolutions' metadata \"selected\" is {flag}; write true or false", OneError(result));
    }

    [Fact]
    public async Task A_start_date_in_the_future_is_exit_2_for_check()
    {
        var result = await CliRunner.RunAsync("check", "--config", Config(c => c["start_date"] = "2099-01-01"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("\"start_date\" 2099-01-01 is in the future, so nothing would be extracted", OneError(result));
    }

    [Fact]
    public async Task A_base_url_with_a_wrong_path_is_not_jiras_rest_root_exit_4()
    {
        fixture.Reset();
        var root = fixture.Sim.BaseUrl.ToString().TrimEnd('/');
        var result = await CliRunner.RunAsync("check", "--config", Config(c => c["base_url"] = root + "/jira"));
        Assert.Equal(4, result.ExitCode);
        var line = OneError(result);
        Assert.StartsWith($"error: base_url {root}/jira/ does not look like Jira's REST root", line);
        Assert.EndsWith($"if Jira is at the root of its host, use {root}", line);

        // A second kind: the path serves a web page (200, HTML) instead of Jira's JSON.
        fixture.Sim.Control.Faults.NextMalformed("/wiki/rest/api/2/myself", JiraSync.Simulator.Control.MalformedKind.HtmlPage);
        var page = await CliRunner.RunAsync("check", "--config", Config(c => c["base_url"] = root + "/wiki"));
        Assert.Equal(4, page.ExitCode);
        Assert.Contains("does not look like Jira's REST root", OneError(page));
    }

    [Fact]
    public async Task A_destination_that_cannot_be_opened_is_exit_2_naming_the_path_and_the_cause()
    {
        var dir = Directory.CreateDirectory(Path.Combine(_dir, "db-dir")).FullName;
        var notDuck = File("not-a-database.duckdb", "hello");
        var aFile = File("a-file", "x");
        var cases = new (string Destination, string Expected)[]
        {
            ("duckdb:" + dir, $"cannot open destination duckdb:{dir} ({dir}): it is a directory, not a DuckDB database file"),
            ("duckdb:" + notDuck, $"cannot open destination duckdb:{notDuck} ({notDuck}): the file exists but is not a DuckDB database"),
            ("jsonl:" + aFile, $"cannot open destination jsonl:{aFile} ({aFile}): it is a file; jsonl: needs a directory"),
            ("duckdb:" + Path.Combine(aFile, "x.duckdb"), $"{aFile} is a file, not a directory"),
        };
        foreach (var (destination, expected) in cases)
        {
            var result = await CliRunner.RunAsync("sync", "--config", Config(), "--destination", destination, "--streams", "resolutions");
            Assert.True(result.ExitCode == 2, $"{destination}: exit {result.ExitCode} {result.StdErr}");
            var line = OneError(result);
            Assert.Contains(expected, line);
            // The destination cannot hold the failed run: the local run history does, and `runs` shows it.
            var runs = await CliRunner.RunAsync("runs", "--destination", destination, "--json");
            Assert.True(runs.ExitCode == 0, $"runs {destination}: exit {runs.ExitCode} {runs.StdErr}");
            var run = JsonNode.Parse(runs.StdOut)!["runs"]![0]!;
            Assert.Equal("failed", (string?)run["status"]);
            Assert.Equal(line["error: ".Length..], (string?)run["error"]);
            // ... saying why only those: the same cause as sync's.
            var warning = Assert.Single(runs.StdErr.Split('\n'), l => l.StartsWith("WARNING "));
            Assert.Contains(expected, warning);
            Assert.EndsWith("; showing only the runs recorded on this machine", warning[..warning.LastIndexOf(" (", StringComparison.Ordinal)]);
            // query names the same cause, exit 2.
            var query = await CliRunner.RunAsync("query", "--destination", destination, "SELECT 1");
            Assert.True(query.ExitCode == 2, $"query {destination}: exit {query.ExitCode} {query.StdErr}");
            Assert.Contains(expected, OneError(query));
        }
        // The file that was not a database is left as it was.
        Assert.Equal("hello", System.IO.File.ReadAllText(notDuck));
    }

    [Theory]
    [InlineData("memory_limit=999999999999999999999GB", "memory_limit '999999999999999999999GB' is out of range")]
    [InlineData("checkpoint_threshold=999999999999999999999GB", "checkpoint_threshold '999999999999999999999GB' is out of range")]
    [InlineData("threads=2&threads=3", "DuckDB option 'threads' is given more than once")]
    public async Task A_duckdb_option_out_of_range_is_bad_usage_before_the_run_starts(string options, string expected)
    {
        fixture.Reset();
        var db = Path.Combine(_dir, $"opt-{Guid.NewGuid():N}.duckdb");
        var result = await CliRunner.RunAsync("sync", "--config", Config(), "--destination", $"duckdb:{db}?{options}", "--streams", "resolutions");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, OneError(result));
        // Nothing ran: no file was made to record a run in, and no run was recorded anywhere.
        Assert.False(System.IO.File.Exists(db));
        Assert.DoesNotContain("INFO run ", result.StdErr);
        Assert.Empty(fixture.Sim.Control.Requests.Entries); // Jira was not asked anything
    }

    [Fact]
    public async Task A_duckdb_memory_limit_too_small_fails_the_run_in_one_line_naming_the_destination_option()
    {
        var db = Path.Combine(_dir, $"tiny-{Guid.NewGuid():N}.duckdb");
        var destination = $"duckdb:{db}?memory_limit=10KB";
        var result = await CliRunner.RunAsync("sync", "--config", Config(), "--destination", destination, "--streams", "resolutions");
        Assert.Equal(1, result.ExitCode);
        Assert.DoesNotContain("SET memory_limit", result.StdErr);
        var line = Assert.Single(result.StdErr.Split('\n'), l => l.Contains("memory_limit of 10KB"));
        Assert.Contains($"give a larger one with ?memory_limit= in the destination, e.g. --destination 'duckdb:{db}?memory_limit=1GB'", line);
        // The run's recorded error is that line too.
        var runs = await CliRunner.RunAsync("runs", "--destination", "duckdb:" + db, "--json");
        var run = JsonNode.Parse(runs.StdOut)!["runs"]![0]!;
        Assert.Equal("failed", (string?)run["status"]);
        Assert.StartsWith("DuckDB needs more than its memory_limit of 10KB ", (string?)run["error"]);
    }

    [Fact]
    public async Task A_failed_sync_prints_its_error_once()
    {
        // A recorded run logs its own failure line (naming the run); the command adds no second copy of the reason.
        fixture.Reset();
        var db = Path.Combine(_dir, "once.duckdb");
        var result = await CliRunner.RunAsync("sync", "--config", Config(c => c["password"] = "wrong-token-123"), "--destination", "duckdb:" + db,
            "--streams", "resolutions");
        Assert.Equal(3, result.ExitCode);
        var lines = result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var failure = Assert.Single(lines, l => l.Contains("Jira refused the credentials"));
        Assert.Matches(@"^ERROR run \d{8}T\d{6}Z-[0-9a-f]{4} failed in [\d.]+s: Jira refused the credentials .*check ""username"" and ""password""", failure);
        Assert.DoesNotContain(lines, l => l.StartsWith("error: "));
        Assert.DoesNotContain("   at ", result.StdErr);
    }

    private static string SelectOnly(string stream) => new JsonObject
    {
        ["streams"] = new JsonArray(new JsonObject
        {
            ["tap_stream_id"] = stream, ["stream"] = stream, ["schema"] = new JsonObject { ["type"] = "object" },
            ["metadata"] = new JsonArray(new JsonObject { ["breadcrumb"] = new JsonArray(), ["metadata"] = new JsonObject { ["selected"] = true } }),
        }),
    }.ToJsonString();
}
