using System.Collections.Concurrent;
using System.Diagnostics;
using JiraSync.Tests.Support;

namespace JiraSync.Tests.Operations;

/// <summary>A `jirasync` child process whose stderr lines the test can wait for while it runs (to act mid-run:
/// send a signal, change the config).</summary>
internal sealed class LiveCli : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly Task _stderr;
    private readonly Task<string> _stdout;

    private LiveCli(Process process)
    {
        _process = process;
        _stdout = process.StandardOutput.ReadToEndAsync();
        _stderr = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync() is { } line) _lines.Enqueue(line);
        });
    }

    public static LiveCli Start(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add(CliRunner.CliDll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        return new LiveCli(Process.Start(psi)!);
    }

    public int Pid => _process.Id;
    public IReadOnlyList<string> Lines => _lines.ToArray();
    public string StdErr => string.Join("\n", _lines);

    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (DateTime.UtcNow < deadline)
        {
            if (_lines.FirstOrDefault(match) is { } hit) return hit;
            if (_process.HasExited && _stderr.IsCompleted) break;
            await Task.Delay(20);
        }
        throw new TimeoutException($"no matching line; stderr so far:\n{StdErr}");
    }

    /// <summary>Sends SIGTERM or SIGINT the way a service manager or Ctrl+C does.</summary>
    public void Signal(string name)
    {
        using var kill = Process.Start("kill", ["-" + name, _process.Id.ToString()]);
        kill.WaitForExit();
    }

    public async Task<CliResult> WaitForExitAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(120));
        await _process.WaitForExitAsync(cts.Token);
        await _stderr;
        return new CliResult(_process.ExitCode, await _stdout, StdErr);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
