using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using JiraSync.Bench;
using JiraSync.Config;
using JiraSync.Jira;
using JiraSync.Logging;
using JiraSync.Simulator;
using JiraSync.Singer;
using JiraSync.Streams;

// JiraSync benchmark: a simulator with N issues and a given latency (in a child process, so the
// tap's memory is measured alone), the tap in process with every stream selected, its output
// serialized to a null stream. Prints wall time, HTTP requests against the minimum needed,
// records per second and peak memory.
//
//   dotnet run -c Release --project bench/JiraSync.Bench -- --issues 10000 --latency 50 [--concurrency 8] [--same-instant 0]
if (args.Length > 0 && args[0] == "load") return await LoadBench.RunAsync(args[1..]); // load throughput (LoadBench.cs)
if (args.Length > 0 && args[0] == "phases") return await PhaseBench.RunAsync(args[1..]); // where loading time goes (PhaseBench.cs)
if (args.Length > 0 && args[0] == "compare") return await CompareBench.RunAsync(args[1..]); // against singer-io tap-jira (CompareBench.cs)
var options = BenchOptions.Parse(args);
if (options.Serve) return await SimulatorChild.ServeAsync(options);

Console.Error.WriteLine($"starting simulator: {options.Issues} issues in {options.Projects} projects, {options.LatencyMs} ms latency ...");
await using var child = await SimulatorChild.StartAsync(options);
var config = new JiraSyncConfig
{
    BaseUrl = new Uri(child.BaseUrl), Username = child.Username, Password = child.Password, CaCert = child.CaCert,
    StartDate = DateTimeOffset.Parse("2020-01-01T00:00:00Z", CultureInfo.InvariantCulture),
    MaxConcurrency = options.Concurrency, PageSize = 100,
};
var log = new MemoryLog();
using var client = new JiraClient(config, log, JiraClientOptions.Default with { LogMetrics = false });
var timed = new TimedApi(client);
var runner = new TapRunner(timed, config, log);
var channel = Channel.CreateBounded<SingerMessage>(SingerPipe.Capacity);
var records = 0L;
var perStream = new Dictionary<string, int>();
var clock = Stopwatch.StartNew();
var produce = Task.Run(async () =>
{
    var catalog = options.AllStreams ? Discovery.SelectAll(Discovery.BuildCatalog(isServer: false), optIn: true) : null;
    try { await runner.RunAsync(catalog, null, channel.Writer, CancellationToken.None); channel.Writer.Complete(); }
    catch (Exception ex) { channel.Writer.Complete(ex); }
});
await using (var writer = new SingerWriter(Stream.Null))
{
    await foreach (var m in channel.Reader.ReadAllAsync())
    {
        if (m is RecordMessage r)
        {
            records++;
            if (r.Record["_sdc_deleted_at"] is null) perStream[r.Stream] = perStream.GetValueOrDefault(r.Stream) + 1;
        }
        writer.Write(m);
    }
}
await produce;
clock.Stop();

var peakMb = Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0;
var minimum = MinimumRequests.Compute(child.Counts, options);
var result = new JsonObject
{
    ["issues"] = options.Issues, ["latency_ms"] = options.LatencyMs, ["concurrency"] = options.Concurrency,
    ["wall_s"] = Math.Round(clock.Elapsed.TotalSeconds, 2), ["records"] = records,
    ["records_per_s"] = Math.Round(records / clock.Elapsed.TotalSeconds),
    ["http_requests"] = client.Metrics.Requests, ["minimum_requests"] = minimum,
    ["retries"] = client.Metrics.Retries,
    ["tap_cpu_s"] = Math.Round(Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds, 2),
    // Every stream's record count equals the simulator's expected key count (no loss, no duplicates).
    ["complete"] = child.Counts.Where(c => StreamRegistry.Find(c.Key) is { } d && (options.AllStreams || d.SelectedByDefault))
        .All(c => perStream.GetValueOrDefault(c.Key) == c.Value), ["peak_working_set_mb"] = Math.Round(peakMb, 1),
    // Still referenced after a full collection: growth with N would mean a whole stream kept in memory.
    ["live_heap_after_mb"] = Math.Round(GC.GetTotalMemory(forceFullCollection: true) / 1048576.0, 1),
};
if (options.Timeline) timed.WriteTimeline(Console.Error, options.LatencyMs, options.LatencyPerKiBMs, options.Concurrency);
foreach (var (endpoint, (count, seconds)) in timed.ByEndpoint.OrderByDescending(e => e.Value.Seconds).Take(8))
    Console.Error.WriteLine($"  {endpoint,-40} {count,7} requests {seconds,8:0.00} s waiting");
foreach (var line in log.Lines.Where(l => l.StartsWith("WARNING", StringComparison.Ordinal)).Take(5)) Console.Error.WriteLine(line);
Console.WriteLine(result.ToJsonString());
Console.Error.WriteLine($"{options.Issues} issues, {options.LatencyMs} ms: {clock.Elapsed.TotalSeconds:0.0} s, {records} records " +
    $"({records / clock.Elapsed.TotalSeconds:0} /s), {client.Metrics.Requests} requests (minimum {minimum}), peak {peakMb:0} MB");
return 0;
