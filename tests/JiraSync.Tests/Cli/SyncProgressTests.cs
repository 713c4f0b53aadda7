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
        Assert.True(warning < screen.LastIndexOf("jirasync sync  ", StringComparison.Ordinal), "the warning came only after the live table ended");

        // The last frame, per stream: the 429 and its retry are the worklogs unit's (its requests counted by the simulator,
        // every one to the worklog feeds), none went to the issue sweep running beside it.
        var rows = LastFrameRows(screen);
        var worklogRequests = h.Sim.Control.Requests.Entries.Count(e => e.PathAndQuery.StartsWith("/rest/api/2/worklog/", StringComparison.Ordinal));
        //                    stream      records  inserted updated deleted requests retries 429s
        Assert.Equal(["worklogs", "1", "1"], new[] { rows["worklogs"][0], rows["worklogs"][6], rows["worklogs"][7] });
        Assert.Equal(worklogRequests.ToString("N0"), rows["worklogs"][5]);
        Assert.Equal("0", rows["issues"][7]);
        Assert.Equal("(issues)", rows["issue_comments"][5]);
    }

    /// <summary>The words of each row of the live table's last frame (escape sequences removed), by stream name.</summary>
    private static Dictionary<string, string[]> LastFrameRows(string screen)
    {
        var text = System.Text.RegularExpressions.Regex.Replace(screen, @"\x1b\[[0-9;?]*[A-Za-z]|\x1b[=>]", "");
        var frame = text[text.LastIndexOf("jirasync sync  ", StringComparison.Ordinal)..];
        var rows = new Dictionary<string, string[]>();
        foreach (var line in frame.Split('\n'))
        {
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (words.Length > 5 && words[1].All(c => char.IsDigit(c) || c == ',')) rows.TryAdd(words[0], words);
        }
        return rows;
    }
}
