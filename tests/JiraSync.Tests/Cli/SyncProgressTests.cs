using System.Diagnostics;
using JiraSync.Tests.Loading;
using JiraSync.Tests.Support;

namespace JiraSync.Tests.Cli;

/// <summary>`jirasync sync` on a terminal (a pseudo-terminal made by util-linux `script`), as a person watches it.</summary>
public class SyncProgressTests
{
    [Fact]
    public async Task The_live_table_shows_the_rate_limit_wait_and_warnings_appear_while_it_runs()
    {
        await using var h = await SyncHarness.StartAsync();
        await using var db = new TestDatabase("duckdb");
        h.Sim.Control.Faults.Next429(count: 1, retryAfterSeconds: 3, pathPrefix: "/rest/api/2/worklog");

        var command = $"dotnet '{CliRunner.CliDll}' sync --config '{h.ConfigPath}' --destination '{db.Uri}'";
        var psi = new ProcessStartInfo("script", ["-q", "-e", "-c", command, "/dev/null"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        psi.Environment["TERM"] = "xterm";
        psi.Environment["COLUMNS"] = "120";
        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        var screen = await output;

        Assert.True(process.ExitCode == 0, screen);
        // While Jira's Retry-After holds every request, the live table says so and counts the 429.
        Assert.Contains("rate limited by Jira: all requests paused", screen);
        Assert.Contains("429s 1", screen);
        // The 429 warning is printed when it happens, above the live table, not after the table's last frame.
        var warning = screen.IndexOf("WARNING", StringComparison.Ordinal);
        Assert.True(warning >= 0, screen);
        Assert.True(warning < screen.LastIndexOf('╰'), "the warning came only after the live table ended");
        Assert.Contains("worklogs", screen);
    }
}
