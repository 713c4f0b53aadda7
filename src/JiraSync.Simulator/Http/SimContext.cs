using JiraSync.Simulator.Control;
using JiraSync.Simulator.Model;
using JiraSync.Simulator.Rendering;

namespace JiraSync.Simulator.Http;

/// <summary>What every endpoint needs: the data, how to render it, and the control state (faults, log).</summary>
public sealed class SimContext(SimulatorStore store, Renderer renderer, SimulatorControl control)
{
    public SimulatorStore Store { get; } = store;
    public Renderer Render { get; } = renderer;
    public SimulatorControl Control { get; } = control;
    public SimulatorOptions Options => Store.Options;
    public bool Cloud => Options.Deployment == Deployment.Cloud;
    /// <summary>The rate-limit mode's bucket, when <see cref="SimulatorOptions.RateLimitPerSecond"/> is set.</summary>
    public BurstRateLimit? RateLimit { get; } = store.Options.RateLimitPerSecond > 0
        ? new BurstRateLimit(store.Options.RateLimitPerSecond, store.Options.RateLimitBurst) : null;
}
