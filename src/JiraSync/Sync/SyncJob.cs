using JiraSync.Config;
using JiraSync.Loading.Destinations;
using JiraSync.Logging;
using JiraSync.Runs;

namespace JiraSync.Sync;

/// <summary>The sync workflow: assembles the destination, its run lock and run history around a tap and a loader.</summary>
public static class SyncJob
{
    /// <summary>Takes the destination's run lock, opens its run history and records a run as started.</summary>
    /// <exception cref="Errors.RunFailedException">Another run holds the lock ("another jirasync run is loading into …").</exception>
    public static async Task<RunSession> BeginRunAsync(DestinationUri uri, JiraSyncConfig config, ILog console, string trigger,
        CancellationToken ct = default, TimeProvider? clock = null)
    {
        var runLock = await uri.LockAsync(ct);
        IRunStore store;
        try { store = uri.OpenRunStore(); }
        catch { await runLock.DisposeAsync(); throw; }
        return await RunSession.BeginAsync(runLock, store, config, console, trigger, ct, clock);
    }
}
