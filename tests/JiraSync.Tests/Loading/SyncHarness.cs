using System.Diagnostics;
using JiraSync.Simulator;
using JiraSync.Tests.Support;

namespace JiraSync.Tests.Loading;

/// <summary>A running simulator plus the config file pointing at it, and helpers to run `jirasync sync`
/// against it (as a child process, like a user) and to read what landed in a test database.</summary>
public sealed class SyncHarness : IAsyncDisposable
{
    public JiraSimulator Sim { get; }
    public string ConfigPath { get; }
    private readonly string _dir;

    private SyncHarness(JiraSimulator sim, string dir, string configPath)
    {
        Sim = sim;
        _dir = dir;
        ConfigPath = configPath;
    }

    public static async Task<SyncHarness> StartAsync(SimulatorOptions? options = null)
    {
        var dir = Directory.CreateTempSubdirectory("jirasync-sync-").FullName;
        var sim = await JiraSimulator.StartAsync((options ?? new SimulatorOptions()) with { CertDirectory = dir });
        return new SyncHarness(sim, dir, sim.WriteConfig(Path.Combine(dir, "config.json")));
    }

    /// <summary>The state `sync` stored for this simulator (sync keys its state by site).</summary>
    public async Task<System.Text.Json.Nodes.JsonObject?> StoredStateAsync(TestDatabase db)
    {
        await using var dest = await db.OpenAsync();
        dest.StateKey = JiraSync.Sync.SyncJob.StateKeyFor(JiraSync.Config.ConfigLoader.Load(ConfigPath));
        return await dest.ReadStateAsync();
    }

    public async Task<CliResult> SyncAsync(TestDatabase db, params string[] extra)
    {
        var result = await CliRunner.RunAsync(["sync", "--config", ConfigPath, "--destination", db.Uri, .. extra]);
        Assert.True(result.ExitCode == 0, $"sync exited {result.ExitCode}: {result.StdErr}");
        return result;
    }

    /// <summary>Runs sync with JIRASYNC_TEST_PAUSE=point, waits until it reports the pause, then SIGKILLs it.</summary>
    public async Task SyncAndKillAtAsync(TestDatabase db, string pausePoint, params string[] extra)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add(CliRunner.CliDll);
        foreach (var a in new[] { "sync", "--config", ConfigPath, "--destination", db.Uri }.Concat(extra)) psi.ArgumentList.Add(a);
        psi.Environment["JIRASYNC_TEST_PAUSE"] = pausePoint;
        using var process = Process.Start(psi)!;
        _ = process.StandardOutput.ReadToEndAsync();
        var stderr = new List<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        while (await process.StandardError.ReadLineAsync(timeout.Token) is { } line)
        {
            stderr.Add(line);
            if (!line.StartsWith("JIRASYNC-PAUSED", StringComparison.Ordinal)) continue;
            process.Kill(); // SIGKILL: no finally blocks, no flushes, no rollbacks run in the process
            await process.WaitForExitAsync();
            return;
        }
        await process.WaitForExitAsync();
        Assert.Fail($"sync never reached {pausePoint} (exit {process.ExitCode}):\n{string.Join("\n", stderr)}");
    }

    public async ValueTask DisposeAsync()
    {
        await Sim.DisposeAsync();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }
}

/// <summary>Reading loaded tables for comparisons.</summary>
public static class Tables
{
    /// <summary>Key sets of a table (composite keys joined with "|" in key order), live rows or deleted rows.</summary>
    public static async Task<HashSet<string>> KeysAsync(TestDatabase db, string table, IReadOnlyList<string> keys, bool deleted = false)
    {
        var key = string.Join(" || '|' || ", keys.Select(k => $"CAST(\"{k}\" AS VARCHAR)"));
        var rows = await db.QueryAsync($"SELECT {key} AS k FROM \"{table}\" WHERE \"_sdc_deleted_at\" IS {(deleted ? "NOT " : "")}NULL");
        return rows.Select(r => (string)r["k"]!).ToHashSet(StringComparer.Ordinal);
    }

    public static async Task<long> CountAsync(TestDatabase db, string table) =>
        Convert.ToInt64(await db.ScalarAsync($"SELECT count(*) FROM \"{table}\""));

    /// <summary>Every data column of every row (as text, sorted) plus whether the row is marked deleted:
    /// two loads of the same source compare equal on this whatever their batching and timing was.</summary>
    public static async Task<List<string>> DumpAsync(TestDatabase db, string table)
    {
        var columns = (await db.ColumnTypesAsync(table)).Keys.Where(c => !c.StartsWith("_sdc_", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        var select = string.Join(", ", columns.Select(c => $"CAST(\"{c}\" AS VARCHAR) AS \"{c}\"").Append("\"_sdc_deleted_at\" IS NOT NULL AS deleted"));
        var rows = await db.QueryAsync($"SELECT {select} FROM \"{table}\"");
        return rows.Select(r => string.Join("\u241f", r.Select(kv => $"{kv.Key}={kv.Value}"))).Order(StringComparer.Ordinal).ToList();
    }
}
