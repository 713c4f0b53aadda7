using JiraSync.Loading.Destinations.Jsonl;
using JiraSync.Loading.Destinations.Postgres;
using JiraSync.Loading.Destinations.DuckDb;
using JiraSync.Loading.Destinations;
using DuckDB.NET.Data;
using JiraSync.Config;
using JiraSync.Logging;
using JiraSync.Runs;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace JiraSync.Tests.Operations;

/// <summary>The same run-history behaviour on all three stores, checked through the store and by querying the tables.</summary>
public class RunStoreTests
{
    public static TheoryData<string> Kinds => new() { "duckdb", "postgres", "jsonl" };

    internal static JiraSyncConfig Config => new()
    {
        BaseUrl = new Uri("https://acme.atlassian.net/"), Username = "ann@example.com", Password = "s3cret-api-token-XYZ",
    };

    internal static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "jirasync-ops-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    internal static string PgConnectionString =>
        Environment.GetEnvironmentVariable("JIRASYNC_TEST_PG") ?? "Host=127.0.0.1;Port=54329;Username=postgres;Database=postgres";

    private static (IRunStore Store, Func<string, Task<long>> Count) Open(string kind)
    {
        var dir = TempDir();
        switch (kind)
        {
            case "duckdb":
                var file = Path.Combine(dir, "dest.duckdb");
                return (new DuckDbRunStore(file), async sql =>
                {
                    await using var c = new DuckDBConnection($"Data Source={file}");
                    await c.OpenAsync();
                    await using var cmd = c.CreateCommand();
                    cmd.CommandText = sql;
                    return Convert.ToInt64(await cmd.ExecuteScalarAsync());
                });
            case "postgres":
                var schema = "ops_" + Guid.NewGuid().ToString("N")[..10];
                return (new PostgresRunStore(PgConnectionString, schema, Path.Combine(dir, "logs"), "postgres test"), async sql =>
                {
                    await using var c = new NpgsqlConnection(PgConnectionString);
                    await c.OpenAsync();
                    await using var cmd = c.CreateCommand();
                    cmd.CommandText = $"SET search_path TO {schema}; " + sql;
                    return Convert.ToInt64(await cmd.ExecuteScalarAsync());
                });
            default:
                return (new JsonlRunStore(dir), sql => Task.FromResult(-1L));
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_recorded_run_reads_back_with_its_streams_and_the_tables_hold_the_counts(string kind)
    {
        var (store, count) = Open(kind);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 8, 0, 0, TimeSpan.Zero));
        var metrics = new JiraSync.Jira.JiraClientMetrics();

        await using (var first = await RunRecorder.StartAsync(store, Config, new() { Clock = clock, Metrics = metrics }))
        {
            var issues = first.StartStream("issues", bookmarkBefore: null);
            issues.AddExtracted(120); issues.AddInserted(100); issues.AddUpdated(20); issues.AddHttp(7, 1, 1, 4096);
            issues.BookmarkAfter = "2026-11-27T07:59:00Z";
            clock.Advance(TimeSpan.FromSeconds(42));
            await first.StreamFinishedAsync(issues);
            var projects = first.StartStream("projects");
            projects.AddExtracted(3); projects.AddInserted(3); projects.AddDeleted(1);
            await first.StreamFinishedAsync(projects);
            for (var i = 0; i < 9; i++) metrics.CountRequest();
            metrics.CountRetry(); metrics.CountRateLimited(); metrics.CountBytes(5000);
            await first.FinishAsync(RunStatus.Succeeded);
        }
        clock.Advance(TimeSpan.FromHours(1));
        await using (var second = await RunRecorder.StartAsync(store, Config, new() { Clock = clock }))
            await second.FinishAsync(RunStatus.Failed, "Jira refused the credentials (401)");

        var runs = await store.ListRunsAsync(10);
        Assert.Equal(2, runs.Count);
        var (failed, ok) = (runs[0], runs[1]);
        Assert.Equal(RunStatus.Failed, failed.Status);
        Assert.Equal("Jira refused the credentials (401)", failed.Error);
        Assert.Equal(RunStatus.Succeeded, ok.Status);
        Assert.Equal(TimeSpan.FromSeconds(42), ok.Duration);
        Assert.Equal((9L, 1L, 1L, 5000L), (ok.HttpRequests, ok.Retries, ok.RateLimited, ok.Bytes));
        Assert.Equal("https://acme.atlassian.net", ok.Source);
        Assert.StartsWith("sha256:", ok.ConfigFingerprint);
        Assert.Equal(ok, await store.GetRunAsync(ok.RunId));

        var streams = await store.ListStreamsAsync([ok.RunId, failed.RunId]);
        Assert.Equal(["issues", "projects"], streams.Select(s => s.Stream));
        var i0 = streams[0];
        Assert.Equal((120L, 100L, 20L, 0L, 7L, 1L, 1L, 4096L), (i0.RecordsExtracted, i0.RowsInserted, i0.RowsUpdated, i0.RowsDeleted, i0.HttpRequests, i0.Retries, i0.RateLimited, i0.Bytes));
        Assert.Equal(TimeSpan.FromSeconds(42), i0.Duration);
        Assert.Null(i0.BookmarkBefore);
        Assert.Equal("2026-11-27T07:59:00Z", i0.BookmarkAfter);
        Assert.Equal(1, streams[1].RowsDeleted);

        if (kind != "jsonl")
        {
            Assert.Equal(2, await count("SELECT count(*) FROM _jirasync_runs"));
            Assert.Equal(1, await count("SELECT count(*) FROM _jirasync_runs WHERE status = 'failed'"));
            Assert.Equal(124, await count($"SELECT CAST(sum(rows_inserted + rows_updated + rows_deleted) AS BIGINT) FROM _jirasync_run_streams WHERE run_id = '{ok.RunId}'"));
        }
        else
        {
            var lines = File.ReadAllLines(Path.Combine(Path.GetDirectoryName(store.LogDirectory)!, "_jirasync_runs.jsonl"));
            Assert.Equal(4, lines.Length);   // each run written when it starts and when it ends
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_run_left_running_by_a_dead_process_is_marked_interrupted_by_the_next_lock_holder(string kind)
    {
        var (store, _) = Open(kind);
        var dead = await RunRecorder.StartAsync(store, Config, new() { WithoutLogFile = true });   // never finished
        await using var next = await RunRecorder.StartAsync(store, Config, new() { WithoutLogFile = true, HoldsDestinationLock = true });
        await next.FinishAsync(RunStatus.Succeeded);
        var stale = await store.GetRunAsync(dead.RunId);
        Assert.Equal(RunStatus.Interrupted, stale!.Status);
    }

    [Fact]
    public async Task The_extraction_log_has_every_line_with_secrets_redacted_and_only_the_last_50_are_kept()
    {
        var dir = TempDir();
        var store = new JsonlRunStore(dir);
        Directory.CreateDirectory(store.LogDirectory);
        for (var i = 0; i < 52; i++) File.WriteAllText(Path.Combine(store.LogDirectory, $"20200101T0000{i:00}Z-0000.log"), "old");
        var console = new MemoryLog();
        string path;
        await using (var run = await RunRecorder.StartAsync(store, Config, new() { Console = console }))
        {
            run.Log.Debug("GET https://acme.atlassian.net/rest/api/2/myself -> 200 (12 ms)");
            run.Log.Warn("retrying after 429; header had s3cret-api-token-XYZ");
            path = run.LogPath!;
            await run.FinishAsync(RunStatus.Failed, "boom with s3cret-api-token-XYZ inside");
        }
        var text = File.ReadAllText(path);
        Assert.Contains("DEBUG GET https://acme.atlassian.net/rest/api/2/myself -> 200", text);
        Assert.Contains("WARNING retrying after 429; header had ***", text);
        Assert.DoesNotContain("s3cret-api-token-XYZ", text);
        Assert.Equal("boom with *** inside", (await store.ListRunsAsync(1))[0].Error);
        Assert.Equal(50, Directory.GetFiles(store.LogDirectory, "*.log").Length);
        Assert.True(File.Exists(path));
    }
}
