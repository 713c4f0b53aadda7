using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Npgsql;

namespace JiraSync.Bench;

/// <summary>
/// Load throughput: `bench load --issues N [--pg CONNSTRING]`. Starts the simulator (child process, no
/// latency) with N issues and all their children, and runs the real `jirasync` program as a child:
/// 1. `jirasync tap` once, its output spooled to a file;
/// 2. `jirasync target` from that file into DuckDB and into PostgreSQL: loading alone (parse, validate,
///    batch, upsert, commit), rows per second and the loader process's peak memory;
/// 3. `jirasync sync` into each: extraction and loading together, as users run it.
/// Peak memory is the child's VmHWM (Linux), sampled until it exits.
/// </summary>
public static class LoadBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var issues = 10_000;
        var pg = Environment.GetEnvironmentVariable("JIRASYNC_TEST_PG") ?? "Host=127.0.0.1;Port=54329;Username=postgres;Database=postgres";
        var targets = new List<string> { "duckdb", "postgres" };
        var analytics = false;
        string? keptSpool = null;
        var modes = new List<string> { "target", "sync" };
        var env = new Dictionary<string, string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--issues": issues = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--pg": pg = args[++i]; break;
                case "--only": targets = [args[++i]]; break;
                case "--analytics": analytics = true; break;
                case "--spool": keptSpool = Path.GetFullPath(args[++i]); break;
                case "--modes": modes = [.. args[++i].Split(',')]; break;
                case "--env":
                    var kv = args[++i].Split('=', 2);
                    env[kv[0]] = kv[1];
                    break;
                default: throw new ArgumentException($"unknown argument {args[i]} (use load --issues N [--pg CONNSTRING] [--only duckdb|postgres] [--modes target,sync] [--spool FILE] [--env NAME=VALUE] [--analytics])");
            }
        }
        var cli = FindCli();
        var work = Directory.CreateTempSubdirectory("jirasync-loadbench-").FullName;
        try
        {
            var options = new BenchOptions { Issues = issues };
            // A kept spool (--spool FILE) is written once and reused by later runs with the same --issues;
            // `target` alone from a kept spool needs no simulator.
            var spool = keptSpool ?? Path.Combine(work, "tap.jsonl");
            var needSimulator = keptSpool is null || !File.Exists(keptSpool) || modes.Contains("sync");
            SimulatorChild? sim = null;
            var config = Path.Combine(work, "config.json");
            if (needSimulator)
            {
                Console.Error.WriteLine($"starting simulator: {issues} issues in {options.Projects} projects ...");
                sim = await SimulatorChild.StartAsync(options);
                await File.WriteAllTextAsync(config, new JsonObject
                {
                    ["base_url"] = sim.BaseUrl.TrimEnd('/'), ["username"] = sim.Username, ["password"] = sim.Password,
                    ["ca_cert"] = sim.CaCert, ["start_date"] = "2020-01-01T00:00:00Z",
                }.ToJsonString());
            }
            await using var simulator = sim;

            // `sync` alone needs no spool: its records are counted from the loader's own summary line.
            var syncOnly = keptSpool is null && !analytics && modes.All(m => m == "sync");
            var records = 0L;
            if (!syncOnly)
            {
                if (keptSpool is null || !File.Exists(keptSpool))
                {
                    var tap = await RunAsync(cli, ["tap", "--config", config], stdinFile: null, stdoutFile: spool);
                    Console.Error.WriteLine($"tap: {tap.Seconds:0.0} s");
                }
                records = File.ReadLines(spool).LongCount(l => l.StartsWith("{\"type\":\"RECORD\"", StringComparison.Ordinal));
                Console.Error.WriteLine($"spool: {records} records, {new FileInfo(spool).Length / 1048576.0:0} MB");
            }

            if (analytics)
            {
                foreach (var kind in targets) await AnalyticsBench.RunAsync(cli, spool, kind, pg, issues, records, work);
                return 0;
            }
            foreach (var kind in targets)
            {
                foreach (var mode in modes)
                {
                    // PostgreSQL: the loader's connections carry a name of their own, so the server's CPU for them can be measured.
                    var applicationName = $"jirasync-bench-{Environment.ProcessId}-{mode}";
                    var destination = kind == "duckdb"
                        ? "duckdb:" + Path.Combine(work, $"{mode}.duckdb")
                        : $"{pg};Application Name={applicationName};schema={await FreshSchemaAsync(pg, $"bench_{mode}_{issues}")}";
                    var loadBefore = LoadAverage();
                    await using var server = kind == "postgres" ? PostgresBackendCpu.Start(pg, applicationName) : null;
                    var run = mode == "target"
                        ? await RunAsync(cli, ["target", "--destination", destination], stdinFile: spool, stdoutFile: null, env)
                        : await RunAsync(cli, ["sync", "--config", config, "--destination", destination], stdinFile: null, stdoutFile: null, env);
                    var (serverCpu, backends) = server is null ? (0.0, 0) : await server.StopAsync();
                    if (syncOnly && System.Text.RegularExpressions.Regex.Match(run.StdErr, @"INFO (\d+) records in \d+ batches committed") is { Success: true } m)
                        records = long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
                    var line = new JsonObject
                    {
                        ["mode"] = mode, ["destination"] = kind, ["issues"] = issues, ["records"] = records,
                        ["wall_s"] = Math.Round(run.Seconds, 2), ["records_per_s"] = Math.Round(records / run.Seconds),
                        // The machine is shared: rows per CPU-second of the loader process is the figure load does not inflate.
                        ["cpu_s"] = Math.Round(run.CpuSeconds, 2), ["records_per_cpu_s"] = run.CpuSeconds > 0 ? Math.Round(records / run.CpuSeconds) : null,
                        ["peak_rss_mb"] = Math.Round(run.PeakRssMb, 1),
                        // PostgreSQL: the CPU of the server's backends for the loader's connections (same machine).
                        ["server_cpu_s"] = server is null ? null : Math.Round(serverCpu, 2),
                        ["server_backends"] = server is null ? null : backends,
                        ["records_per_total_cpu_s"] = server is null || run.CpuSeconds + serverCpu <= 0 ? null : Math.Round(records / (run.CpuSeconds + serverCpu)),
                        ["load_avg"] = $"{loadBefore}-{LoadAverage()}",
                    };
                    Console.WriteLine(line.ToJsonString());
                }
            }
            return 0;
        }
        finally
        {
            try { Directory.Delete(work, true); } catch (IOException) { }
        }
    }

    /// <param name="CpuSeconds">user + system CPU of the child, last sampled just before it exited (100 ms steps).</param>
    internal sealed record ChildRun(double Seconds, double PeakRssMb, double CpuSeconds = 0, string StdErr = "");

    internal static async Task<ChildRun> RunAsync(string cli, string[] args, string? stdinFile, string? stdoutFile,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = stdinFile != null, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        psi.ArgumentList.Add(cli);
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        Task stdout = stdoutFile != null
            ? CopyToFileAsync(process.StandardOutput.BaseStream, stdoutFile)
            : process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        Task stdin = Task.CompletedTask;
        if (stdinFile != null)
            stdin = Task.Run(async () =>
            {
                await using (var f = File.OpenRead(stdinFile)) await f.CopyToAsync(process.StandardInput.BaseStream);
                process.StandardInput.Close();
            });
        var peak = 0.0;
        var cpu = 0.0;
        while (!process.HasExited)
        {
            peak = Math.Max(peak, PeakRssMb(process.Id));
            cpu = Math.Max(cpu, CpuSeconds(process.Id));
            await Task.WhenAny(process.WaitForExitAsync(), Task.Delay(100));
        }
        await Task.WhenAll(stdout, stdin);
        clock.Stop();
        if (process.ExitCode != 0) throw new InvalidOperationException($"jirasync {args[0]} exited {process.ExitCode}: {await stderr}");
        return new ChildRun(clock.Elapsed.TotalSeconds, peak, cpu, await stderr);
    }

    /// <summary>The 1-minute load average (from /proc/loadavg), as printed there.</summary>
    internal static string LoadAverage()
    {
        try { return File.ReadAllText("/proc/loadavg").Split(' ')[0]; }
        catch (IOException) { return "?"; }
    }

    /// <summary>utime + stime of a live process from /proc/PID/stat, in seconds (clock ticks of 1/100 s).</summary>
    private static double CpuSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
        }
        catch (IOException) { return 0; }
        catch (UnauthorizedAccessException) { return 0; }
    }

    private static async Task CopyToFileAsync(Stream from, string path)
    {
        await using var f = File.Create(path);
        await from.CopyToAsync(f);
    }

    /// <summary>VmHWM: the process's peak resident set so far (0 when unavailable).</summary>
    private static double PeakRssMb(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return 0;
    }

    internal static async Task<string> FreshSchemaAsync(string pg, string schema)
    {
        await using var c = new NpgsqlConnection(pg);
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = $"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE";
        await cmd.ExecuteNonQueryAsync();
        return schema;
    }

    /// <summary>The CLI built by ./jirasync (Release), found from this program's location in the repository.</summary>
    public static string FindCli()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            var dll = Path.Combine(dir.FullName, "src", "JiraSync.Cli", "bin", "Release", "net10.0", "JiraSync.Cli.dll");
            if (File.Exists(Path.Combine(dir.FullName, "jirasync")))
                return File.Exists(dll) ? dll : throw new InvalidOperationException("build the CLI first: ./jirasync about");
        }
        throw new InvalidOperationException("run the benchmark from inside the repository");
    }
}
