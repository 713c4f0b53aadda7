using System.Security.Cryptography;
using System.Text.Json.Nodes;
using DuckDB.NET.Data;
using JiraSync.Simulator;
using JiraSync.Tests.Jira;
using JiraSync.Tests.Support;

namespace JiraSync.Tests.Cli;

/// <summary>
/// Destinations the file system refuses, run as a user would meet them: a read-only DuckDB file, a read-only folder
/// for a new DuckDB file or a jsonl folder, a read-only file system, and a disk that fills mid-run. Each is one line
/// naming the path and the cause (exit 2, or 1 for the full disk), the failed run is in the run history that
/// `jirasync runs` shows (the local one when the destination cannot hold it), and no committed row is lost.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class DestinationFaultTests(DestinationFaultTests.Fixture fixture) : IClassFixture<DestinationFaultTests.Fixture>, IDisposable
{
    /// <summary>Enough issues that a sync outgrows a 2 MB disk in DuckDB's log and a 1 MB one in jsonl files.</summary>
    public sealed class Fixture : SimulatorFixture
    {
        /// <inheritdoc/>
        protected override SimulatorOptions Options => base.Options with { IssuesPerProject = 30 };
    }

    private readonly string _dir = MakeDir();

    private static string MakeDir()
    {
        var dir = Directory.CreateTempSubdirectory("jirasync-dest-").FullName;
        Unprivileged.Open(dir, writable: true);
        return dir;
    }

    // The local run history of these tests' runs, writable by the unprivileged user.
    private string State => Directory.CreateDirectory(Path.Combine(_dir, "state")).FullName;

    public void Dispose()
    {
        foreach (var d in Directory.GetDirectories(_dir, "*", SearchOption.AllDirectories)) Unprivileged.Open(d, writable: true);
        Directory.Delete(_dir, recursive: true);
    }

    private Dictionary<string, string> Env()
    {
        var state = State;
        Unprivileged.Open(state, writable: true);
        return new() { ["XDG_STATE_HOME"] = state, ["HOME"] = state };
    }

    /// <summary>A config for the simulator, with its CA certificate beside it, readable by every user.</summary>
    private string Config()
    {
        var ca = Path.Combine(_dir, "ca.pem");
        File.Copy(fixture.Sim.CaCertPath, ca, overwrite: true);
        var path = fixture.Sim.WriteConfig(Path.Combine(_dir, "config.json"), new Dictionary<string, object?> { ["ca_cert"] = ca });
        foreach (var f in new[] { ca, path }) Unprivileged.Chmod(f, "644");
        return path;
    }

    private static string OneError(CliResult r)
    {
        // The failure is printed once: as "error: …", or as the recorded run's own "ERROR run … failed in …: …" line.
        var errors = r.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => l.StartsWith("error: ") || System.Text.RegularExpressions.Regex.IsMatch(l, @"^ERROR run \S+ failed in ")).ToList();
        Assert.True(errors.Count == 1, r.StdErr);
        Assert.DoesNotContain("   at ", r.StdErr);
        // Returned as "error: reason" either way, so callers compare the reason.
        return System.Text.RegularExpressions.Regex.Replace(errors[0], @"^ERROR run \S+ failed in [^:]+: ", "error: ");
    }

    private async Task<CliResult> SyncAsUserAsync(string destination) =>
        await Unprivileged.RunAsync(["sync", "--config", Config(), "--destination", destination, "--streams", "resolutions"], Env());

    /// <summary>`runs --json` (as the unprivileged user when <paramref name="unprivileged"/>): the runs it shows, newest first.</summary>
    private async Task<JsonArray> RunsAsync(string destination, bool unprivileged = false, string? runId = null)
    {
        string[] args = runId is null ? ["runs", "--destination", destination, "--json"] : ["runs", runId, "--destination", destination, "--json"];
        var r = unprivileged ? await Unprivileged.RunAsync(args, Env()) : await CliRunner.RunAsync(args, env: Env());
        Assert.True(r.ExitCode == 0, $"runs: exit {r.ExitCode} {r.StdErr}");
        var json = JsonNode.Parse(r.StdOut)!;
        return runId is null ? json["runs"]!.AsArray() : new JsonArray(json.DeepClone());
    }

    private static void AssertFailedWith(JsonNode run, string error)
    {
        Assert.Equal("failed", (string?)run["status"]);
        Assert.Equal(error, (string?)run["error"]);
    }

    [Fact]
    public async Task A_read_only_DuckDB_file_is_exit_2_left_as_it_was_and_the_failed_run_is_in_the_history()
    {
        var db = Path.Combine(_dir, "jira.duckdb");
        await using (var c = new DuckDBConnection($"Data Source={db}"))
        {
            await c.OpenAsync();
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "CREATE TABLE kept AS SELECT 42 AS answer";
            await cmd.ExecuteNonQueryAsync();
        }
        Unprivileged.Chmod(db, "444");
        var before = SHA256.HashData(File.ReadAllBytes(db));

        var result = await SyncAsUserAsync("duckdb:" + db);

        Assert.True(result.ExitCode == 2, $"exit {result.ExitCode}: {result.StdErr}");
        var expected = $"cannot open destination duckdb:{db} ({db}): the file is read-only for this user (permission denied); make it writable or give another file";
        Assert.Equal("error: " + expected, OneError(result));
        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(db)));
        // The destination cannot hold the run; the local run history does, and `runs` shows it (as the same user).
        var runs = await RunsAsync("duckdb:" + db, unprivileged: true);
        AssertFailedWith(Assert.Single(runs)!, expected);
    }

    [Fact]
    public async Task A_read_only_folder_refuses_a_new_DuckDB_file_and_a_jsonl_folder_with_exit_2_naming_the_folder()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_dir, "read-only")).FullName;
        Unprivileged.Chmod(folder, "555");
        var cause = $"the directory {folder} is not writable for this user (permission denied)";
        foreach (var (destination, path) in new[]
                 {
                     ("duckdb:" + Path.Combine(folder, "new.duckdb"), Path.Combine(folder, "new.duckdb")),
                     ("jsonl:" + Path.Combine(folder, "out"), Path.Combine(folder, "out")),
                     ("jsonl:" + folder, folder),
                 })
        {
            var result = await SyncAsUserAsync(destination);
            Assert.True(result.ExitCode == 2, $"{destination}: exit {result.ExitCode}: {result.StdErr}");
            var expected = $"cannot open destination {destination} ({path}): {cause}";
            Assert.Equal("error: " + expected, OneError(result));
            AssertFailedWith((await RunsAsync(destination, unprivileged: true))[0]!, expected);
        }
        Assert.Empty(Directory.GetFileSystemEntries(folder));
    }

    [Fact]
    public async Task A_read_only_file_system_is_exit_2_naming_it()
    {
        using var mount = Tmpfs.Mount(Path.Combine(_dir, "ro-mount"), "size=1m,ro");
        foreach (var (destination, path) in new[]
                 {
                     ("duckdb:" + Path.Combine(mount.Dir, "jira.duckdb"), Path.Combine(mount.Dir, "jira.duckdb")),
                     ("jsonl:" + Path.Combine(mount.Dir, "out"), Path.Combine(mount.Dir, "out")),
                 })
        {
            var result = await CliRunner.RunAsync(["sync", "--config", Config(), "--destination", destination, "--streams", "resolutions"], env: Env());
            Assert.True(result.ExitCode == 2, $"{destination}: exit {result.ExitCode}: {result.StdErr}");
            var expected = $"cannot open destination {destination} ({path}): the file system holding {mount.Dir} is read-only";
            Assert.Equal("error: " + expected, OneError(result));
            AssertFailedWith((await RunsAsync(destination))[0]!, expected);
        }
    }

    [Fact]
    public async Task A_disk_filling_mid_run_into_DuckDB_keeps_the_committed_rows_and_the_rerun_completes()
    {
        fixture.Reset();
        using var disk = Tmpfs.Mount(Path.Combine(_dir, "small-disk"), "size=2m");
        var db = Path.Combine(disk.Dir, "jira.duckdb");
        var destination = "duckdb:" + db;
        var expectedIssues = fixture.Sim.Control.ExpectedKeys()["issues"];

        var result = await CliRunner.RunAsync(["sync", "--config", Config(), "--destination", destination, "--batch-rows", "50"], env: Env());

        Assert.True(result.ExitCode == 1, $"exit {result.ExitCode}: {result.StdErr}");
        var line = OneError(result);
        Assert.StartsWith($"error: the disk is full: no space left on device writing {disk.Dir}/", line);
        Assert.EndsWith($"(destination {destination}); what was committed before stays, and the next run resumes from there once space is freed", line);

        // What the run committed is readable: a copy of the files on a disk with room opens, and holds exactly the issue
        // rows the failed run's loading report counts as inserted, all of them Jira's.
        var copy = Directory.CreateDirectory(Path.Combine(_dir, "copy")).FullName;
        foreach (var f in Directory.GetFiles(disk.Dir, "jira.duckdb*")) File.Copy(f, Path.Combine(copy, Path.GetFileName(f)));
        var committed = await IssueIdsAsync(Path.Combine(copy, "jira.duckdb"));
        Assert.NotEmpty(committed);
        Assert.True(committed.Count < expectedIssues.Count, $"the disk filled after all {committed.Count} issues: make the disk smaller");
        Assert.Subset(expectedIssues.ToHashSet(), committed.ToHashSet());
        Assert.Equal(committed.Count, committed.Distinct().Count());

        var failed = Assert.Single(await RunsAsync(destination))!;
        AssertFailedWith(failed, line["error: ".Length..]);
        var report = (await RunsAsync(destination, runId: (string)failed["run_id"]!))[0]!["streams"]!.AsArray();
        Assert.Equal(committed.Count, (long)report.Single(s => (string?)s!["stream"] == "issues")!["rows_inserted"]!);

        // Space freed: the next run completes, every issue once, and the history keeps the failed run beside it.
        disk.Remount("size=64m");
        var rerun = await CliRunner.RunAsync(["sync", "--config", Config(), "--destination", destination, "--batch-rows", "50"], env: Env());
        Assert.True(rerun.ExitCode == 0, $"rerun: exit {rerun.ExitCode}: {rerun.StdErr}");
        var all = await IssueIdsAsync(db);
        Assert.Equal(expectedIssues.Order(), all.Order());
        var runs = await RunsAsync(destination);
        Assert.Equal(["succeeded", "failed"], runs.Select(r => (string?)r!["status"]));
        Assert.Equal(failed["error"]!.ToString(), runs[1]!["error"]!.ToString());
        // The destination's own table has the failed run's end too, copied from the local history by the rerun.
        await using var c = new DuckDBConnection($"Data Source={db};access_mode=READ_ONLY");
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT status || ': ' || error FROM _jirasync_runs WHERE run_id = '{failed["run_id"]}'";
        Assert.Equal("failed: " + failed["error"], (string?)await cmd.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_disk_filling_mid_run_into_jsonl_keeps_the_committed_lines_and_the_rerun_completes()
    {
        fixture.Reset();
        using var disk = Tmpfs.Mount(Path.Combine(_dir, "small-disk"), "size=1m");
        var folder = Path.Combine(disk.Dir, "out");
        var destination = "jsonl:" + folder;
        var expectedIssues = fixture.Sim.Control.ExpectedKeys()["issues"];

        var result = await CliRunner.RunAsync(["sync", "--config", Config(), "--destination", destination, "--batch-rows", "50"], env: Env());

        Assert.True(result.ExitCode == 1, $"exit {result.ExitCode}: {result.StdErr}");
        var line = OneError(result);
        Assert.StartsWith($"error: the disk is full: no space left on device writing {folder}/", line);
        var failed = Assert.Single(await RunsAsync(destination))!;
        AssertFailedWith(failed, line["error: ".Length..]);

        // The committed part of issues.jsonl (its length in the state file) is whole lines of Jira's issues.
        var stateDoc = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "_jirasync_state.json")))!;
        var committedLength = (long?)stateDoc["files"]?["issues.jsonl"] ?? 0;
        var committed = CommittedIssueIds(Path.Combine(folder, "issues.jsonl"), committedLength);
        Assert.NotEmpty(committed);
        Assert.True(committed.Count < expectedIssues.Count, $"the disk filled after all {committed.Count} issues: make the disk smaller");
        Assert.Subset(expectedIssues.ToHashSet(), committed.ToHashSet());

        disk.Remount("size=64m");
        var rerun = await CliRunner.RunAsync(["sync", "--config", Config(), "--destination", destination, "--batch-rows", "50"], env: Env());
        Assert.True(rerun.ExitCode == 0, $"rerun: exit {rerun.ExitCode}: {rerun.StdErr}");
        // An append log: a re-read issue is a new line; every issue is there, and nothing but Jira's issues.
        var all = CommittedIssueIds(Path.Combine(folder, "issues.jsonl"), new FileInfo(Path.Combine(folder, "issues.jsonl")).Length);
        Assert.Equal(expectedIssues.Order(), all.Distinct().Order());
        var runs = await RunsAsync(destination);
        Assert.Equal(["succeeded", "failed"], runs.Select(r => (string?)r!["status"]));
    }

    private static async Task<List<string>> IssueIdsAsync(string db)
    {
        await using var c = new DuckDBConnection($"Data Source={db};access_mode=READ_ONLY");
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT CAST(id AS VARCHAR) FROM issues";
        var ids = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) ids.Add(reader.GetString(0));
        return ids;
    }

    private static List<string> CommittedIssueIds(string file, long length)
    {
        using var stream = File.OpenRead(file);
        var bytes = new byte[length];
        stream.ReadExactly(bytes);
        var text = System.Text.Encoding.UTF8.GetString(bytes);
        Assert.True(text.Length == 0 || text.EndsWith('\n'), "the committed part of issues.jsonl ends mid-line");
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!["id"]!.ToString()).ToList();
    }
}
