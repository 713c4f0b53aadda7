using System.Runtime.InteropServices;
using JiraSync.Logging;

namespace JiraSync.Scheduling;

/// <summary>
/// Turns the first SIGINT or SIGTERM into a cancellation token, so the current run finishes its batch and the
/// process exits cleanly; a second signal gets the default behaviour (immediate exit) for an impatient user.
/// </summary>
public sealed class ShutdownSignal : IDisposable
{
    private readonly CancellationTokenSource _cts = new();
    private readonly PosixSignalRegistration[] _registrations;
    private readonly ILog _log;

    /// <summary>Starts listening for SIGINT and SIGTERM.</summary>
    /// <param name="log">Receives one warning when the first signal arrives.</param>
    public ShutdownSignal(ILog log)
    {
        _log = log;
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle), PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle)];
    }

    /// <summary>Cancelled by the first signal.</summary>
    public CancellationToken Token => _cts.Token;

    private void Handle(PosixSignalContext context)
    {
        if (_cts.IsCancellationRequested) return;   // second signal: let the runtime terminate the process
        context.Cancel = true;
        _log.Warn($"{context.Signal} received: finishing the current batch, then exiting (send it again to exit now)");
        _cts.Cancel();
    }

    /// <summary>Stops listening; signals get the runtime's default behaviour again.</summary>
    public void Dispose()
    {
        foreach (var r in _registrations) r.Dispose();
        _cts.Dispose();
    }
}
