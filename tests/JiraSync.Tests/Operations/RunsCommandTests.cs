using JiraSync.Loading.Destinations.DuckDb;
using System.Text.Json;
using JiraSync.Runs;
using JiraSync.Tests.Support;

namespace JiraSync.Tests.Operations;

/// <summary>`jirasync runs` as a user runs it, over a history written into a real DuckDB file.</summary>
public class RunsCommandTests
{
    private static async Task<(string Dest, List<string> Ids)> DuckDbWithHistory()
    {
        var file = Path.Combine(RunStoreTests.TempDir(), "jira.duckdb");
        await using var store = new DuckDbRunStore(file);
        var ids = await SampleHistory.WriteAsync(store, DateTimeOffset.UtcNow.AddHours(-13));
        return ("duckdb:" + file, ids);
    }

    [Fact]
    public async Task Runs_lists_recent_runs_and_row_usage_as_json_and_as_a_table()
    {
        var (dest, ids) = await DuckDbWithHistory();
        var json = await CliRunner.RunAsync("runs", "--destination", dest, "--json", "--limit", "5");
        Assert.Equal(0, json.ExitCode);
        var doc = JsonDocument.Parse(json.StdOut).RootElement;
        var runs = doc.GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal(ids.AsEnumerable().Reverse().Take(5), runs.Select(r => r.GetProperty("run_id").GetString()));
        Assert.All(runs, r => Assert.Equal("succeeded", r.GetProperty("status").GetString()));
        // Month-to-date counts every run, not only the five listed: the first run alone loaded 78,000 rows.
        var issues = doc.GetProperty("row_usage").GetProperty("month_to_date").GetProperty("issues").GetInt64();
        Assert.True(issues > 12_000, $"issues month to date {issues}");

        var table = await CliRunner.RunAsync(["runs", "--destination", dest], env: new Dictionary<string, string> { ["COLUMNS"] = "200" });
        Assert.Equal(0, table.ExitCode);
        Assert.Contains(ids[^1], table.StdOut);
        Assert.Contains("Jira refused the credentials (401)", table.StdOut);
        Assert.Contains("Row usage", table.StdOut);
    }

    [Fact]
    public async Task Runs_RUN_ID_shows_the_loading_report_and_the_extraction_log_path()
    {
        var (dest, ids) = await DuckDbWithHistory();
        var result = await CliRunner.RunAsync("runs", ids[3], "--destination", dest, "--json");
        Assert.Equal(0, result.ExitCode);
        var run = JsonDocument.Parse(result.StdOut).RootElement;
        var streams = run.GetProperty("streams").EnumerateArray().ToList();
        Assert.Equal(SampleHistory.Tables.Order(StringComparer.Ordinal), streams.Select(s => s.GetProperty("stream").GetString()));
        var logPath = run.GetProperty("log_path").GetString()!;
        Assert.True(File.Exists(logPath), logPath);
        Assert.Contains($"run {ids[3]} started", File.ReadAllText(logPath));

        var text = await CliRunner.RunAsync(["runs", ids[3], "--destination", dest], env: new Dictionary<string, string> { ["COLUMNS"] = "200" });
        Assert.Equal(0, text.ExitCode);
        Assert.Contains("Loading report", text.StdOut);
        Assert.Contains(logPath, text.StdOut.Replace("\n", ""));
        Assert.Contains("issue_comments", text.StdOut);
    }

    [Fact]
    public async Task Runs_and_one_run_fit_an_80_column_terminal_with_every_error_and_bookmark_whole()
    {
        var (dest, ids) = await DuckDbWithHistory();
        await using var store = new DuckDbRunStore(dest["duckdb:".Length..]);
        var failed = (await store.GetRunAsync(ids[4]))!;   // SampleHistory's fifth run: refused credentials
        var env = new Dictionary<string, string> { ["COLUMNS"] = "80" };
        static string Squeeze(string s) => string.Concat(s.Where(c => !char.IsWhiteSpace(c) && c != '│'));

        var list = await CliRunner.RunAsync(["runs", "--destination", dest], env: env);
        Assert.Equal(0, list.ExitCode);
        var lines = list.StdOut.TrimEnd('\n').Split('\n');
        Assert.All(lines, l => Assert.True(l.Length <= 80, $"{l.Length} columns: {l}"));
        foreach (var id in ids.AsEnumerable().Reverse().Take(20)) Assert.Contains(lines, l => l.Contains($"│ {id} │"));
        Assert.Contains(lines, l => l.Contains(ids[4]) && l.Contains("failed"));
        Assert.Contains(Squeeze($"{ids[4]} failed: {failed.Error}"), Squeeze(list.StdOut));

        var one = await CliRunner.RunAsync(["runs", ids[3], "--destination", dest], env: env);
        Assert.Equal(0, one.ExitCode);
        Assert.All(one.StdOut.TrimEnd('\n').Split('\n'), l => Assert.True(l.Length <= 80, $"{l.Length} columns: {l}"));
        var streams = await store.ListStreamsAsync([ids[3]]);
        foreach (var s in streams)
        {
            Assert.Contains(one.StdOut.Split('\n'), l => l.StartsWith($"│ {s.Stream} "));
            Assert.Contains(Squeeze($"{s.Stream}: {s.BookmarkAfter}"), Squeeze(one.StdOut));
        }

        var failedOne = await CliRunner.RunAsync(["runs", ids[4], "--destination", dest], env: env);
        Assert.All(failedOne.StdOut.TrimEnd('\n').Split('\n'), l => Assert.True(l.Length <= 80, $"{l.Length} columns: {l}"));
        Assert.Contains(Squeeze(failed.Error!), Squeeze(failedOne.StdOut));
    }

    [Fact]
    public async Task Runs_html_writes_a_self_contained_page()
    {
        var (dest, _) = await DuckDbWithHistory();
        var html = Path.Combine(RunStoreTests.TempDir(), "report.html");
        var result = await CliRunner.RunAsync("runs", "--destination", dest, "--html", html);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("wrote " + html, result.StdErr);
        var page = File.ReadAllText(html);
        Assert.Contains("<svg", page);
        Assert.DoesNotContain("http://", page.Replace("http://www.w3.org", ""));
        Assert.DoesNotContain("https://", page.Replace("https://acme.atlassian.net", ""));
    }

    [Fact]
    public async Task An_unreachable_postgres_destination_is_one_line_exit_1_without_its_password()
    {
        // Port 1 on loopback refuses at once; runs (history store) and sync (run lock) both reach PostgreSQL first.
        const string dest = "postgres://loader:pg-secret-1@127.0.0.1:1/warehouse";
        var config = Path.Combine(RunStoreTests.TempDir(), "config.json");
        File.WriteAllText(config, """{"base_url":"https://127.0.0.1:1","username":"u","password":"p","start_date":"2024-01-01T00:00:00Z"}""");
        foreach (var args in new[] { new[] { "runs", "--destination", dest }, ["sync", "--config", config, "--destination", dest] })
        {
            var result = await CliRunner.RunAsync(args);
            Assert.Equal(1, result.ExitCode);
            var line = Assert.Single(result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("error: cannot connect to PostgreSQL postgres://loader@127.0.0.1:1/warehouse", line);
            Assert.DoesNotContain("pg-secret-1", result.StdErr + result.StdOut);
        }
    }

    [Fact]
    public async Task Unknown_run_or_missing_destination_is_a_one_line_exit_2()
    {
        var (dest, _) = await DuckDbWithHistory();
        var unknown = await CliRunner.RunAsync("runs", "20990101T000000Z-ffff", "--destination", dest);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Equal($"error: no run '20990101T000000Z-ffff' in {dest}; 'jirasync runs' lists the recorded runs", unknown.StdErr.Trim());
        var missing = await CliRunner.RunAsync("runs", "--destination", "duckdb:/nonexistent/x.duckdb");
        Assert.Equal(2, missing.ExitCode);
        Assert.StartsWith("error: no DuckDB file at /nonexistent/x.duckdb", missing.StdErr);
    }
}
