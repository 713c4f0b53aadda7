using JiraSync.Config;
using JiraSync.Simulator;
using JiraSync.Tests.Support;

namespace JiraSync.Tests.Jira;

/// <summary>One small simulator per test class (xunit runs a class's tests one after another, so queued
/// faults and the request log belong to the running test; each test clears them first).</summary>
public class SimulatorFixture : IAsyncLifetime
{
    public JiraSimulator Sim { get; private set; } = null!;

    protected virtual SimulatorOptions Options => new()
    {
        Projects = 2, IssuesPerProject = 3, Users = 4, HeavyIssues = 0, WorklogsAtOneInstant = 0,
    };

    public async Task InitializeAsync() => Sim = await JiraSimulator.StartAsync(Options);

    public async Task DisposeAsync() => await Sim.DisposeAsync();

    /// <summary>A config for the simulator as a test builds it (no file).</summary>
    public JiraSyncConfig Config(int maxConcurrency = 4) => Sim.ClientConfig(maxConcurrency);

    public void Reset()
    {
        Sim.Control.Faults.Clear();
        Sim.Control.Requests.Clear();
        Sim.Control.LatencyMs = 0;
    }
}

public sealed class ServerSimulatorFixture : SimulatorFixture
{
    protected override SimulatorOptions Options => base.Options with { Deployment = Deployment.Server, TimeZone = "Europe/Berlin" };
}
