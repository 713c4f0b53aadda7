using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace JiraSync.Bench;

/// <summary>
/// Side by side: `bench compare --tap-jira DIR --singer-python DIR [--issues N] [--latency MS] [--per-kib MS] [--runs 5]
/// [--cli DLL] [--tap-exe PATH]`.
/// One simulator (child process, responses cached after their first rendering, latency = fixed ms per
/// response + ms per KiB of body) serves singer-io tap-jira (Python, every stream selected through its
/// discovered catalog) and `jirasync tap` (every stream; with --tap-exe also a native tap executable such as the
/// Native AOT tap-jirasync, as "jirasync-aot", given the same config), run alternately as child processes, each
/// under /usr/bin/time. Per run: wall time, CPU time (user + sys of the tap process), peak RSS, the
/// requests the simulator served and the RECORD messages on stdout; then the medians and the ratios.
/// The simulator's own CPU over each run is printed too, to show it is not what bounds the wall time.
/// </summary>
public static class CompareBench
{
    /// <summary>tap-jira's entry point. requests' Session.send ignores REQUESTS_CA_BUNDLE (only
    /// Session.request merges the environment), so the launcher gives every session the simulator's CA as
    /// `verify`: TLS stays verified, against the CA a user of a private CA would configure.</summary>
    private const string TapJiraLauncher = """
        import os, requests
        _init = requests.Session.__init__
        def _with_ca(self, *a, **k):
            _init(self, *a, **k)
            self.verify = os.environ["REQUESTS_CA_BUNDLE"]
        requests.Session.__init__ = _with_ca
        import tap_jira
        tap_jira.main()
        """;

    /// <summary>`bench compare`: runs singer-io tap-jira and `jirasync tap` alternately against one simulator and prints
    /// per run and as medians: wall and CPU seconds, peak RSS (MB), requests and records, and the ratios.</summary>
    /// <param name="args">The options after `compare` (--tap-jira DIR, --singer-python DIR, --issues N, --latency MS,
    /// --per-kib MS, --runs N, --python PATH, --cli DLL, --tap-exe PATH: a native tap executable run as a third tap,
    /// e.g. dist/linux-x64/tap-jirasync).</param>
    /// <returns>0 when every run succeeded.</returns>
    /// <exception cref="ArgumentException">A required option is missing.</exception>
    /// <exception cref="InvalidOperationException">A tap run exits non-zero (its stderr is in the message).</exception>
    public static async Task<int> RunAsync(string[] args)
    {
        string? tapJira = null, singerPython = null, cli = null, tapExe = null;
        var python = "/usr/bin/python3";
        var runs = 5;
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--tap-jira": tapJira = Path.GetFullPath(args[++i]); break;
                case "--singer-python": singerPython = Path.GetFullPath(args[++i]); break;
                case "--python": python = args[++i]; break;
                case "--cli": cli = Path.GetFullPath(args[++i]); break;
                case "--tap-exe": tapExe = Path.GetFullPath(args[++i]); break;
                case "--runs": runs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                default: rest.Add(args[i]); break;
            }
        }
        if (tapJira is null || singerPython is null)
            throw new ArgumentException("use compare --tap-jira DIR --singer-python DIR [--issues N] [--latency MS] [--per-kib MS] [--runs 5] [--python PATH] [--cli JiraSync.Cli.dll] [--tap-exe PATH]");
        var options = BenchOptions.Parse([.. rest]) with { CacheResponses = true };
        cli ??= LoadBench.FindCli();
        var work = Directory.CreateTempSubdirectory("jirasync-compare-").FullName;
        try
        {
            Console.Error.WriteLine($"starting simulator: {options.Issues} issues in {options.Projects} projects, " +
                $"{options.LatencyMs} ms + {options.LatencyPerKiBMs} ms/KiB ...");
            await using var sim = await SimulatorChild.StartAsync(options);
            var config = Path.Combine(work, "config.json");
            await File.WriteAllTextAsync(config, new JsonObject
            {
                ["base_url"] = sim.BaseUrl.TrimEnd('/'), ["username"] = sim.Username, ["password"] = sim.Password,
                ["ca_cert"] = sim.CaCert, ["start_date"] = "2020-01-01T00:00:00Z", ["user_agent"] = "jirasync-bench",
                ["max_concurrency"] = options.Concurrency,
            }.ToJsonString());
            var env = new Dictionary<string, string>
            {
                ["PYTHONPATH"] = $"{singerPython}:{tapJira}", ["REQUESTS_CA_BUNDLE"] = sim.CaCert,
            };
            var tapJiraArgs = new[] { python, "-c", TapJiraLauncher, "--config", config };

            // tap-jira selects nothing without a catalog: discover once (not timed) and select every stream.
            var catalogPath = Path.Combine(work, "catalog.json");
            var discovered = await RunTimedAsync([.. tapJiraArgs, "--discover"], env, catalogPath, work);
            if (discovered.ExitCode != 0) throw new InvalidOperationException($"tap-jira --discover failed: {discovered.Stderr}");
            var catalog = JsonNode.Parse(await File.ReadAllTextAsync(catalogPath))!;
            foreach (var stream in catalog["streams"]!.AsArray())
                foreach (var m in stream!["metadata"]!.AsArray())
                    if (m!["breadcrumb"]!.AsArray().Count == 0) m["metadata"]!["selected"] = true;
            await File.WriteAllTextAsync(catalogPath, catalog.ToJsonString());
            await sim.TakeRequestCountAsync();

            var taps = new List<(string Name, string[] Command)>
            {
                ("tap-jira", [.. tapJiraArgs, "--properties", catalogPath]),
                ("jirasync", ["dotnet", cli, "tap", "--config", config]),
            };
            if (tapExe != null) taps.Add(("jirasync-aot", [tapExe, "--config", config]));
            var results = taps.ToDictionary(t => t.Name, _ => new List<RunResult>());
            for (var round = 1; round <= runs; round++)
            {
                foreach (var (name, command) in taps)
                {
                    var output = Path.Combine(work, $"{name}.jsonl");
                    var simCpuBefore = ProcessCpuSeconds(sim.ProcessId);
                    var run = await RunTimedAsync(command, env, output, work);
                    var simCpu = ProcessCpuSeconds(sim.ProcessId) - simCpuBefore;
                    if (run.ExitCode != 0) throw new InvalidOperationException($"{name} exited {run.ExitCode}: {run.Stderr}");
                    var (records, perStream) = CountRecords(output);
                    var result = run with { Requests = await sim.TakeRequestCountAsync(), Records = records, PerStream = perStream, SimulatorCpu = simCpu };
                    results[name].Add(result);
                    Console.Error.WriteLine($"  round {round} {name,-12} wall {result.Wall,7:0.00} s  cpu {result.Cpu,6:0.00} s  " +
                        $"rss {result.PeakRssMb,5:0} MB  requests {result.Requests,6}  records {result.Records,7}  simulator cpu {simCpu,5:0.00} s");
                }
            }

            var summary = new JsonObject
            {
                ["issues"] = options.Issues, ["latency_ms"] = options.LatencyMs, ["per_kib_ms"] = options.LatencyPerKiBMs,
                ["runs"] = runs, ["jirasync_max_concurrency"] = options.Concurrency,
                // Distinct keys a complete extraction yields (the simulator's count); records may exceed it where a tap repeats records.
                ["expected_keys"] = new JsonObject(sim.Counts.Where(c => c.Key != "heavy_issues").OrderBy(c => c.Key, StringComparer.Ordinal)
                    .Select(c => KeyValuePair.Create(c.Key, (JsonNode?)c.Value))),
                ["load_avg"] = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : null,
            };
            foreach (var (name, list) in results)
            {
                summary[name] = new JsonObject
                {
                    ["wall_s"] = Median(list.Select(r => r.Wall)), ["cpu_s"] = Median(list.Select(r => r.Cpu)),
                    ["peak_rss_mb"] = Median(list.Select(r => r.PeakRssMb)), ["requests"] = Median(list.Select(r => (double)r.Requests)),
                    ["records"] = Median(list.Select(r => (double)r.Records)),
                    ["cpu_ms_per_1k_records"] = Median(list.Select(r => 1e6 * r.Cpu / Math.Max(1, r.Records))),
                    ["simulator_cpu_s"] = Median(list.Select(r => r.SimulatorCpu)),
                    ["records_per_stream"] = new JsonObject(list[^1].PerStream.OrderBy(p => p.Key, StringComparer.Ordinal)
                        .Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
                };
            }
            double M(string tap, string key) => (double)summary[tap]![key]!;
            // tap-jira's figure over each jirasync tap's: ratio_* for `jirasync tap`, ratio_*_aot for the --tap-exe one.
            foreach (var (name, suffix) in new[] { ("jirasync", ""), ("jirasync-aot", "_aot") }.Where(t => results.ContainsKey(t.Item1)))
            {
                summary["ratio_wall" + suffix] = Math.Round(M("tap-jira", "wall_s") / M(name, "wall_s"), 2);
                summary["ratio_cpu" + suffix] = Math.Round(M("tap-jira", "cpu_s") / M(name, "cpu_s"), 2);
                summary["ratio_cpu_per_record" + suffix] = Math.Round(M("tap-jira", "cpu_ms_per_1k_records") / M(name, "cpu_ms_per_1k_records"), 2);
            }
            Console.WriteLine(summary.ToJsonString());
            Console.Error.WriteLine($"median of {runs}: tap-jira {M("tap-jira", "wall_s")} s wall, {M("tap-jira", "cpu_s")} s CPU, " +
                $"{M("tap-jira", "records")} records; jirasync {M("jirasync", "wall_s")} s wall, {M("jirasync", "cpu_s")} s CPU, " +
                $"{M("jirasync", "records")} records; wall x{summary["ratio_wall"]}, CPU x{summary["ratio_cpu"]}, CPU per record x{summary["ratio_cpu_per_record"]}");
            if (results.ContainsKey("jirasync-aot"))
                Console.Error.WriteLine($"  jirasync-aot {M("jirasync-aot", "wall_s")} s wall, {M("jirasync-aot", "cpu_s")} s CPU, {M("jirasync-aot", "records")} records; " +
                    $"wall x{summary["ratio_wall_aot"]}, CPU x{summary["ratio_cpu_aot"]}, CPU per record x{summary["ratio_cpu_per_record_aot"]}");
            return 0;
        }
        finally
        {
            try { Directory.Delete(work, true); } catch (IOException) { }
        }
    }

    private sealed record RunResult(int ExitCode, double Wall, double Cpu, double PeakRssMb, string Stderr)
    {
        /// <summary>Requests the simulator served during the run.</summary>
        public long Requests { get; init; }
        /// <summary>RECORD lines the tap wrote.</summary>
        public long Records { get; init; }
        /// <summary>RECORD lines per stream.</summary>
        public Dictionary<string, long> PerStream { get; init; } = [];
        /// <summary>CPU seconds the simulator spent during the run (must stay small: it is not what is measured).</summary>
        public double SimulatorCpu { get; init; }
    }

    /// <summary>Runs <paramref name="command"/> under /usr/bin/time (wall, user, sys, max RSS of the
    /// process and its children), stdout to <paramref name="stdoutFile"/>.</summary>
    private static async Task<RunResult> RunTimedAsync(string[] command, Dictionary<string, string> env, string stdoutFile, string work)
    {
        var timeFile = Path.Combine(work, "time.txt");
        var psi = new ProcessStartInfo("/usr/bin/time") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-f", "%e %U %S %M", "-o", timeFile }.Concat(command)) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env) psi.Environment[k] = v;
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        await using (var f = File.Create(stdoutFile)) await process.StandardOutput.BaseStream.CopyToAsync(f);
        await process.WaitForExitAsync();
        var t = (await File.ReadAllLinesAsync(timeFile)).Last().Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var err = await stderr;
        return new RunResult(process.ExitCode, t[0], t[1] + t[2], t[3] / 1024.0, err.Length > 2000 ? err[^2000..] : err);
    }

    /// <summary>RECORD messages in a Singer output file, in total and per stream.</summary>
    private static (long Total, Dictionary<string, long> PerStream) CountRecords(string path)
    {
        var perStream = new Dictionary<string, long>();
        long total = 0;
        foreach (var line in File.ReadLines(path))
        {
            var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(line.Length > 400 ? line[..400] : line), isFinalBlock: false, state: default);
            string? type = null, stream = null;
            // The message's type and stream are its first two properties in both taps' output.
            while ((type is null || stream is null) && reader.Read())
            {
                if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1) continue;
                var name = reader.GetString();
                if (!reader.Read()) break;
                if (name == "type") type = reader.GetString();
                else if (name == "stream") stream = reader.GetString();
            }
            if (type != "RECORD" || stream is null) continue;
            total++;
            perStream[stream] = perStream.GetValueOrDefault(stream) + 1;
        }
        return (total, perStream);
    }

    /// <summary>User + system CPU seconds a process has used so far (/proc/PID/stat, clock ticks of 1/100 s).</summary>
    private static double ProcessCpuSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
        }
        catch (IOException) { return 0; }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        var m = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
        return Math.Round(m, 2);
    }
}
