using System.Diagnostics;
using System.Text.Json.Nodes;
using JiraSync.Simulator;

namespace JiraSync.Bench;

/// <summary>The simulator in a child process (this program with "serve"), so the parent's peak memory
/// is the tap's alone and its CPU is not the tap's. The child prints one JSON line (URL, credentials,
/// expected key counts) and serves until its stdin closes; each line "requests" on its stdin is answered
/// with the number of API requests served since the previous one.</summary>
public sealed class SimulatorChild : IAsyncDisposable
{
    private readonly Process _process;
    public required string BaseUrl { get; init; }
    public required string Username { get; init; }
    public required string Password { get; init; }
    public required string CaCert { get; init; }
    public required Dictionary<string, int> Counts { get; init; }

    private SimulatorChild(Process process) => _process = process;

    /// <summary>The child's process id (to read its CPU time).</summary>
    public int ProcessId => _process.Id;

    /// <summary>API requests the simulator served since the previous call (or its start).</summary>
    public async Task<long> TakeRequestCountAsync()
    {
        await _process.StandardInput.WriteLineAsync("requests");
        await _process.StandardInput.FlushAsync();
        return long.Parse(await _process.StandardOutput.ReadLineAsync() ?? "0", System.Globalization.CultureInfo.InvariantCulture);
    }

    public static async Task<SimulatorChild> StartAsync(BenchOptions options)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add(typeof(SimulatorChild).Assembly.Location);
        foreach (var a in options.ToArgs()) psi.ArgumentList.Add(a);
        var process = Process.Start(psi)!;
        var line = await process.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("the simulator child exited");
        var info = JsonNode.Parse(line)!.AsObject();
        return new SimulatorChild(process)
        {
            BaseUrl = (string)info["baseUrl"]!, Username = (string)info["username"]!, Password = (string)info["password"]!,
            CaCert = (string)info["caCert"]!,
            Counts = info["counts"]!.AsObject().ToDictionary(p => p.Key, p => (int)p.Value!),
        };
    }

    public static async Task<int> ServeAsync(BenchOptions options)
    {
        await using var sim = await JiraSimulator.StartAsync(new SimulatorOptions
        {
            Seed = options.Seed, Projects = options.Projects, IssuesPerProject = options.IssuesPerProject, Users = options.Users,
            LatencyMs = options.LatencyMs, LatencyPerKiBMs = options.LatencyPerKiBMs, CacheResponses = options.CacheResponses,
            WorklogsAtOneInstant = options.SameInstant, Port = options.Port,
        });
        var counts = new JsonObject();
        foreach (var (stream, keys) in sim.Control.ExpectedKeys()) counts[stream] = keys.Count;
        counts["heavy_issues"] = sim.Options.HeavyIssues;
        var info = new JsonObject
        {
            ["baseUrl"] = sim.BaseUrl.ToString(), ["username"] = sim.Username, ["password"] = sim.ApiToken,
            ["caCert"] = sim.CaCertPath, ["counts"] = counts,
        };
        Console.WriteLine(info.ToJsonString());
        while (await Console.In.ReadLineAsync() is { } command) // until the parent closes our stdin
        {
            if (command != "requests") continue;
            Console.WriteLine(sim.Control.RequestCount);
            sim.Control.Requests.Clear();
        }
        return 0;
    }

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        if (!_process.WaitForExit(10_000)) _process.Kill(entireProcessTree: true);
        await Task.CompletedTask;
        _process.Dispose();
    }
}
