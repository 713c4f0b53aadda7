using System.Diagnostics;
using JiraSync.Tests.Support;

namespace JiraSync.Tests.Cli;

/// <summary>Installing JiraSync as people do: the .NET tool package from `dotnet pack`, and the checkout's launcher
/// through a symlink on the PATH. (The single-file binaries of scripts/publish.sh run `demo` in .ci/run.)</summary>
public class InstallTests
{
    private static async Task<CliResult> RunAsync(string file, IEnumerable<string> args, string workingDirectory, IDictionary<string, string>? env = null)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task The_packed_dotnet_tool_installs_and_runs_the_demo()
    {
        var work = Directory.CreateTempSubdirectory("jirasync-tool-").FullName;
        // The CLI was just built for these tests (in this configuration); pack it without building again.
        var configuration = AppContext.BaseDirectory.Contains("/Debug/") ? "Debug" : "Release";
        var pack = await RunAsync("dotnet", ["pack", Path.Combine(RepoPaths.Root, "src", "JiraSync.Cli", "JiraSync.Cli.csproj"), "-c", configuration,
            "--no-build", "-o", Path.Combine(work, "packages"), "-nologo"], work);
        Assert.True(pack.ExitCode == 0, pack.StdOut + pack.StdErr);
        var install = await RunAsync("dotnet", ["tool", "install", "JiraSync.Tool", "--tool-path", Path.Combine(work, "tools"),
            "--add-source", Path.Combine(work, "packages")], work);
        Assert.True(install.ExitCode == 0, install.StdOut + install.StdErr);

        var demo = await RunAsync(Path.Combine(work, "tools", "jirasync"), ["demo", "--issues-per-project", "3"], work);
        Assert.True(demo.ExitCode == 0, demo.StdErr);
        Assert.Contains("Synced the Jira simulator", demo.StdOut);
        Assert.True(File.Exists(Path.Combine(work, "jirasync-demo.duckdb")));
    }

    [Fact]
    public async Task The_launcher_and_tap_jirasync_work_through_symlinks_on_the_path()
    {
        var bin = Directory.CreateTempSubdirectory("jirasync-path-").FullName;
        File.CreateSymbolicLink(Path.Combine(bin, "jirasync"), Path.Combine(RepoPaths.Root, "jirasync"));
        File.CreateSymbolicLink(Path.Combine(bin, "tap-jirasync"), Path.Combine(RepoPaths.Root, "tap-jirasync"));
        var env = new Dictionary<string, string> { ["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH") };

        // Through a shell, so the command is looked up on that PATH, as when a user types it.
        var about = await RunAsync("bash", ["-c", "jirasync about"], Path.GetTempPath(), env);
        Assert.True(about.ExitCode == 0, about.StdErr);
        Assert.StartsWith("jirasync ", about.StdOut);
        Assert.DoesNotContain("MSB", about.StdErr);

        var tap = await RunAsync("bash", ["-c", "tap-jirasync --about --format json"], Path.GetTempPath(), env);
        Assert.True(tap.ExitCode == 0, tap.StdErr);
        Assert.Contains("\"name\": \"tap-jirasync\"", tap.StdOut);
    }
}
