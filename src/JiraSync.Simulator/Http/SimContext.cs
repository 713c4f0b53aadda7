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
}
