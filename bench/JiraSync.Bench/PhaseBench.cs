using System.Diagnostics;
using System.Text.Json.Nodes;
using JiraSync.Analytics;
using JiraSync.Loading;
using JiraSync.Loading.Destinations;
using JiraSync.Logging;
using JiraSync.Singer;

namespace JiraSync.Bench;

/// <summary>
/// Where loading time goes: `bench phases --spool FILE [--destination URI] [--analytics]` reads a spooled tap
/// output in this process several times, each pass doing one step more than the previous one, and prints the
/// wall and CPU time (user + system of this process) of each pass:
/// 1. <c>read</c>: the spool's lines read and counted (I/O and line splitting);
/// 2. <c>parse</c>: + every line parsed into a Singer message (<see cref="SingerReader"/>);
/// 3. <c>convert</c>: + each RECORD validated against its SCHEMA and converted to its table's column values;
/// 4. <c>load</c>: the whole `target` path (<see cref="Loader"/>) into the destination (default: a fresh DuckDB
///    file under /tmp), analytics hook only with <c>--analytics</c>.
/// The difference between two passes is the cost of the step the later one adds.
/// </summary>
public static class PhaseBench
{
    /// <summary>`bench phases`: times the read, parse, convert and load passes over a spool (see the type's summary).</summary>
    /// <param name="args">The options after `phases` (--spool FILE, --destination URI, --analytics, --passes LIST).</param>
    /// <returns>0.</returns>
    /// <exception cref="ArgumentException">A missing or unknown option or pass.</exception>
    /// <exception cref="InvalidOperationException">A record breaks its schema.</exception>
    public static async Task<int> RunAsync(string[] args)
    {
        string? spool = null, destination = null;
        var analytics = false;
        var passes = new List<string> { "read", "parse", "convert", "load" };
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--spool": spool = args[++i]; break;
                case "--destination": destination = args[++i]; break;
                case "--analytics": analytics = true; break;
                case "--passes": passes = [.. args[++i].Split(',')]; break;
                default: throw new ArgumentException($"unknown argument {args[i]} (use phases --spool FILE [--destination URI] [--analytics] [--passes read,parse,convert,load])");
            }
        }
        if (spool is null) throw new ArgumentException("phases needs --spool FILE (see `load --spool`)");
        foreach (var pass in passes)
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            var records = pass switch
            {
                "read" => await ReadAsync(spool),
                "parse" => await ParseAsync(spool, convert: false),
                "convert" => await ParseAsync(spool, convert: true),
                "load" => await LoadAsync(spool, destination, analytics),
                _ => throw new ArgumentException($"unknown pass {pass}"),
            };
            clock.Stop();
            var used = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            Console.WriteLine(new JsonObject
            {
                ["pass"] = pass, ["records"] = records, ["wall_s"] = Math.Round(clock.Elapsed.TotalSeconds, 2),
                ["cpu_s"] = Math.Round(used, 2), ["records_per_cpu_s"] = Math.Round(records / used),
                ["load_avg"] = LoadBench.LoadAverage(),
            }.ToJsonString());
            GC.Collect();
        }
        return 0;
    }

    private static async Task<long> ReadAsync(string spool)
    {
        var n = 0L;
        await using var file = File.OpenRead(spool);
        var buffer = new byte[1 << 16];
        int read;
        while ((read = await file.ReadAsync(buffer)) > 0) n += buffer.AsSpan(0, read).Count((byte)'\n');
        return n;
    }

    private static async Task<long> ParseAsync(string spool, bool convert)
    {
        var n = 0L;
        var tables = new Dictionary<string, (TableSchema Table, JsonObject Schema)>();
        await using var file = File.OpenRead(spool);
        await foreach (var m in new SingerReader(file, spool).ReadAllAsync())
        {
            switch (m)
            {
                case SchemaMessage s: tables[s.Stream] = (TableSchema.From(s), s.Schema); break;
                case RecordMessage r:
                    n++;
                    if (!convert) break;
                    var (table, schema) = tables[r.Stream];
                    if (RecordValidator.Validate(schema, r.Parsed!.Value) is { } error) throw new InvalidOperationException(error);
                    RowValues.Data(table, r.Parsed!.Value);
                    break;
            }
        }
        return n;
    }

    /// <summary>What DuckDB's own accounting holds at the end of the load (a second connection shares the database
    /// instance of the loader's), next to the process's resident memory.</summary>
    private static async Task PrintDuckDbMemoryAsync(string path)
    {
        await using var c = new DuckDB.NET.Data.DuckDBConnection($"Data Source={path}");
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT tag, memory_usage_bytes, temporary_storage_bytes FROM duckdb_memory() WHERE memory_usage_bytes + temporary_storage_bytes > 0 ORDER BY 2 DESC";
        await using var r = await cmd.ExecuteReaderAsync();
        var parts = new List<string>();
        while (await r.ReadAsync()) parts.Add($"{r.GetString(0)} {r.GetInt64(1) / 1048576.0:0.0} MB (+{r.GetInt64(2) / 1048576.0:0.0} MB on disk)");
        Console.Error.WriteLine($"duckdb memory: {string.Join(", ", parts)}; process RSS {Environment.WorkingSet / 1048576.0:0} MB, managed heap {GC.GetTotalMemory(false) / 1048576.0:0} MB");
    }

    private static async Task<long> LoadAsync(string spool, string? destination, bool analytics)
    {
        var path = Path.Combine(Path.GetTempPath(), $"jirasync-phases-{Environment.ProcessId}.duckdb");
        var uri = DestinationUri.Parse(destination ?? "duckdb:" + path);
        var log = new MemoryLog();
        try
        {
            var dest = await uri.OpenAsync(log, CancellationToken.None);
            LoadReport report;
            try
            {
                var loader = new Loader(dest, log, new LoadOptions { ValidateRecords = true, SqlBatchHooks = analytics ? AnalyticsHook.ForJiraLoads() : [] });
                await using var file = File.OpenRead(spool);
                report = await loader.LoadAsync(new SingerReader(file, spool).ReadAllAsync());
                if (dest is SqlDestination sql) Console.Error.WriteLine($"commit steps: {sql.Timings} over {sql.Timings.Batches} batches");
                if (uri.Scheme == "duckdb") await PrintDuckDbMemoryAsync(Path.GetFullPath(uri.Target));
            }
            finally
            {
                // Closing a DuckDB file checkpoints what the WAL still holds: part of the load's cost, timed apart.
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                await dest.DisposeAsync();
                Console.Error.WriteLine($"close (final checkpoint): {clock.Elapsed.TotalSeconds:0.00} s (CPU {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:0.00} s)");
            }
            return report.Streams.Values.Sum(c => c.Received);
        }
        finally
        {
            foreach (var f in new[] { path, path + ".wal" }) File.Delete(f);
        }
    }
}
