using System.Text.Json.Nodes;
using System.Threading.Channels;
using JiraSync.Config;
using JiraSync.Jira;
using JiraSync.Logging;
using JiraSync.Simulator;
using JiraSync.Singer;
using JiraSync.Streams;

namespace JiraSync.Tests.Tap;

/// <summary>What one tap run emitted.</summary>
public sealed class TapRun
{
    public List<SingerMessage> Messages { get; } = [];
    public Exception? Error { get; set; }
    public MemoryLog Log { get; init; } = new();

    public IEnumerable<RecordMessage> Records => Messages.OfType<RecordMessage>();
    public IEnumerable<RecordMessage> RecordsOf(string stream) => Records.Where(r => r.Stream == stream);
    public JsonObject? LastState => Messages.OfType<StateMessage>().LastOrDefault()?.Value;

    /// <summary>Primary keys emitted per stream (live records only), composite keys joined with "|".</summary>
    public Dictionary<string, HashSet<string>> Keys(bool deleted = false) => KeysFrom(this, Records, deleted);

    public Dictionary<string, HashSet<string>> KeysFrom(TapRun run, IEnumerable<RecordMessage> records, bool deleted = false)
    {
        var schemas = run.Messages.OfType<SchemaMessage>().ToDictionary(s => s.Stream);
        var result = new Dictionary<string, HashSet<string>>();
        foreach (var r in records)
        {
            var isDeleted = r.Record["_sdc_deleted_at"] is not null;
            if (isDeleted != deleted) continue;
            var key = string.Join("|", schemas[r.Stream].KeyProperties.Select(k => r.Record[k]?.ToString()));
            if (!result.TryGetValue(r.Stream, out var set)) result[r.Stream] = set = [];
            set.Add(key);
        }
        return result;
    }
}

/// <summary>Starts the simulator and runs the tap in process against it over real HTTPS.</summary>
public sealed class TapHarness : IAsyncDisposable
{
    public JiraSimulator Simulator { get; }
    public string ConfigPath { get; }
    private readonly string _dir;

    private TapHarness(JiraSimulator simulator, string dir, string configPath)
    {
        Simulator = simulator;
        _dir = dir;
        ConfigPath = configPath;
    }

    /// <summary>Small data by default: the suite must stay fast.</summary>
    public static async Task<TapHarness> StartAsync(SimulatorOptions? options = null, IDictionary<string, object?>? extraConfig = null)
    {
        options ??= new SimulatorOptions { Projects = 2, IssuesPerProject = 12, Users = 8, HeavyIssues = 1, WorklogsAtOneInstant = 0 };
        var sim = await JiraSimulator.StartAsync(options);
        var dir = Directory.CreateTempSubdirectory("jirasync-tap-").FullName;
        var extra = new Dictionary<string, object?> { ["lookback_minutes"] = 15 };
        if (extraConfig != null) foreach (var (k, v) in extraConfig) extra[k] = v;
        var path = sim.WriteConfig(Path.Combine(dir, "config.json"), extra);
        return new TapHarness(sim, dir, path);
    }

    public JiraSyncConfig Config => ConfigLoader.Load(ConfigPath);

    public string WriteFile(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Runs the tap to the end (or until <paramref name="stopAfterRecords"/> records were consumed,
    /// cancelling it as a kill would). Errors are captured in <see cref="TapRun.Error"/>.</summary>
    public async Task<TapRun> RunAsync(Catalog? catalog = null, JsonObject? state = null, int? stopAfterRecords = null,
        JiraSyncConfig? config = null, ITapUnitObserver? observer = null)
    {
        config ??= Config;
        var run = new TapRun();
        using var client = new JiraClient(config, run.Log);
        var runner = new TapRunner(client, config, run.Log) { Observer = observer };
        var channel = Channel.CreateBounded<SingerMessage>(16);
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var producer = Task.Run(async () =>
        {
            try { await runner.RunAsync(catalog, state, channel.Writer, cts.Token); channel.Writer.Complete(); }
            catch (Exception ex) { channel.Writer.Complete(ex); }
        });
        var records = 0;
        try
        {
            await foreach (var m in channel.Reader.ReadAllAsync())
            {
                run.Messages.Add(m);
                if (m is RecordMessage && ++records >= stopAfterRecords) { cts.Cancel(); break; }
            }
        }
        catch (Exception ex) { run.Error = ex; }
        await producer;
        return run;
    }

    public static Catalog AllSelected() => Discovery.SelectAll(Discovery.BuildCatalog(isServer: false));

    public async ValueTask DisposeAsync()
    {
        await Simulator.DisposeAsync();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }
}
