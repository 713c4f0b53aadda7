using System.Diagnostics;

namespace JiraSync.Tests.Support;

public sealed record CliResult(int ExitCode, string StdOut, string StdErr);

/// <summary>Runs the real `jirasync` program (the CLI assembly copied next to the tests) as a child
/// process, the way a user runs it, and captures its output.</summary>
public static class CliRunner
{
    public static string CliDll => Path.Combine(AppContext.BaseDirectory, "JiraSync.Cli.dll");

    /// <summary>XDG_STATE_HOME of every run unless the test gives one: the local run history of runs whose destination
    /// could not record them goes here, never into the home folder of whoever runs the tests.</summary>
    public static readonly string StateHome = Path.Combine(Path.GetTempPath(), "jirasync-tests-state");

    /// <param name="args">The command line after `jirasync`.</param>
    /// <param name="stdin">Text for standard input, or null for none.</param>
    /// <param name="env">Environment variables to set.</param>
    /// <param name="workingDirectory">Where it runs (default: the test build folder).</param>
    /// <param name="timeout">How long before the test fails (default 3 minutes).</param>
    /// <param name="wrapper">A program and its arguments that run `dotnet jirasync.dll …` (e.g. setpriv as another user).</param>
    /// <param name="cliDll">The CLI assembly to run (default <see cref="CliDll"/>).</param>
    public static async Task<CliResult> RunAsync(IEnumerable<string> args, string? stdin = null,
        IDictionary<string, string>? env = null, string? workingDirectory = null, TimeSpan? timeout = null,
        IReadOnlyList<string>? wrapper = null, string? cliDll = null)
    {
        var psi = new ProcessStartInfo(wrapper is { Count: > 0 } ? wrapper[0] : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetDirectoryName(cliDll ?? CliDll)!,
        };
        if (wrapper is { Count: > 0 })
        {
            foreach (var w in wrapper.Skip(1)) psi.ArgumentList.Add(w);
            psi.ArgumentList.Add("dotnet");
        }
        psi.ArgumentList.Add(cliDll ?? CliDll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        return await RunProcessAsync(psi, "jirasync", args, stdin, env, timeout);
    }

    /// <summary>Runs a native program (e.g. the Native AOT tap-jirasync) the same way: same environment, input, timeout.</summary>
    /// <param name="file">The executable.</param>
    /// <param name="args">Its command line.</param>
    /// <param name="env">Environment variables to set.</param>
    /// <param name="timeout">How long before the test fails (default 3 minutes).</param>
    public static Task<CliResult> RunExecutableAsync(string file, IEnumerable<string> args, IDictionary<string, string>? env = null, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(file)!,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        return RunProcessAsync(psi, Path.GetFileName(file), args, null, env, timeout);
    }

    private static async Task<CliResult> RunProcessAsync(ProcessStartInfo psi, string name, IEnumerable<string> args, string? stdin,
        IDictionary<string, string>? env, TimeSpan? timeout)
    {
        psi.Environment["XDG_STATE_HOME"] = StateHome;
        if (env != null) foreach (var (k, v) in env) psi.Environment[k] = v;
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin != null) await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(3));
        try { await process.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException) { process.Kill(entireProcessTree: true); throw new TimeoutException($"{name} {string.Join(' ', args)} did not finish"); }
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    public static Task<CliResult> RunAsync(params string[] args) => RunAsync((IEnumerable<string>)args);
}
