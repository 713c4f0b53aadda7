using JiraSync.Cli;
using JiraSync.Jira;
using JiraSync.Loading;
using JiraSync.Runs;
using Microsoft.Extensions.Time.Testing;
using Spectre.Console;

namespace JiraSync.Tests.Cli;

/// <summary>
/// The live table's per-stream request columns: requests counted in two units running at the same time land in each
/// unit's own row (the count follows the async flow, not the thread or the order), and the rate-limit wait shows on
/// the rows of units still running. Expected figures are the counts each flow made, written out by hand.
/// </summary>
public class SyncProgressTableTests
{
    /// <summary>The table as a person reads it at <paramref name="width"/> columns: the words of each row by stream name.</summary>
    private static (string Text, Dictionary<string, string[]> Rows) Draw(Spectre.Console.Rendering.IRenderable table, int width)
    {
        var text = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(text), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No,
        });
        console.Profile.Width = width;
        console.Write(table);
        var rows = new Dictionary<string, string[]>();
        foreach (var line in text.ToString().Split('\n'))
        {
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length > 4 && words[1].All(c => char.IsDigit(c) || c == ',')) rows[words[0]] = words;
        }
        return (text.ToString(), rows);
    }

    [Fact]
    public async Task Requests_of_concurrent_units_land_in_their_own_rows_and_the_wait_shows_on_running_ones()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-01T12:00:00Z"));
        var units = new UnitClock(time);
        var run = new JiraClientMetrics();
        var bothStarted = new Barrier(2);

        // Two units at once, each in its own flow, their counts interleaved (the barrier makes them overlap).
        void Requests(int n, int retries, int limited)
        {
            for (var i = 0; i < n; i++) { run.CountRequest(); Thread.Yield(); }
            for (var i = 0; i < retries; i++) run.CountRetry();
            for (var i = 0; i < limited; i++) run.CountRateLimited();
        }
        var issues = Task.Run(() =>
        {
            units.UnitStarted("issues");
            bothStarted.SignalAndWait();
            Requests(500, 1, 0);
        });
        var worklogs = Task.Run(() =>
        {
            units.UnitStarted("worklogs");
            bothStarted.SignalAndWait();
            Requests(300, 2, 1);
            units.UnitFinished("worklogs", null);
        });
        await Task.WhenAll(issues, worklogs);
        run.CountRequest(); // outside any unit (the run's opening serverInfo): in the totals only

        var gate = new RateLimitGate(time);
        gate.PauseFor(TimeSpan.FromSeconds(12));
        var loaded = new Dictionary<string, StreamCounts>
        {
            ["issues"] = new() { Received = 120, Inserted = 100, Updated = 20 },
            ["issue_comments"] = new() { Received = 50, Inserted = 50 },
            ["worklogs"] = new() { Received = 30, Inserted = 29, MarkedDeleted = 1 },
        };
        var table = SyncProgress.Render(new LoadReport(loaded, 2, null), run, TimeSpan.FromSeconds(65), gate, units.Snapshot());

        var (text, rows) = Draw(table, 80);
        Assert.Contains("requests 801  retries 3  429s 1  batches 2", text);
        //                         stream      records inserted updated deleted requests retries 429s  wait
        Assert.Equal(["issues", "120", "100", "20", "0", "500", "1", "0", "12s"], rows["issues"]);
        Assert.Equal(["worklogs", "30", "29", "0", "1", "300", "2", "1"], rows["worklogs"]); // ended: no wait
        // A child of the issue sweep: its requests are the sweep's, on the issues row.
        Assert.Equal(["issue_comments", "50", "50", "0", "0", "(issues)"], rows["issue_comments"]);
        Assert.Contains("rate limited by Jira: all requests paused, 12 s left", text);
        // Every line fits an 80-column terminal.
        Assert.All(text.Split('\n'), l => Assert.True(l.TrimEnd().Length <= 80, $"{l.TrimEnd().Length} columns: {l}"));
    }

    [Fact]
    public void On_a_short_terminal_running_streams_stay_and_the_rest_fold_into_one_row_with_their_sums()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-01T12:00:00Z"));
        var units = new UnitClock(time);
        var run = new JiraClientMetrics();
        // Ten finished metadata units of 1 to 10 records and one request each, and the issue sweep still running.
        var metadata = new[] { "components", "fields", "filters", "groups", "issue_types", "labels", "priorities", "projects", "resolutions", "statuses" };
        var loaded = new Dictionary<string, StreamCounts>();
        for (var i = 0; i < metadata.Length; i++)
        {
            units.UnitStarted(metadata[i]);
            run.CountRequest();
            units.UnitFinished(metadata[i], null);
            loaded[metadata[i]] = new() { Received = i + 1, Inserted = i + 1 };
        }
        units.UnitStarted("issues");
        for (var i = 0; i < 7; i++) run.CountRequest();
        loaded["issues"] = new() { Received = 3, Inserted = 3 }; // fewer records than most metadata streams, but running

        var gate = new RateLimitGate(time);
        gate.PauseFor(TimeSpan.FromMilliseconds(400));
        var table = SyncProgress.Render(new LoadReport(loaded, 1, null), run, TimeSpan.FromSeconds(5), gate, units.Snapshot(), maxRows: 4);
        var (text, rows) = Draw(table, 80);

        // 4 rows: the running sweep, the two metadata streams with most records (statuses 10, resolutions 9), and the fold.
        Assert.Equal(["issues", "3", "3", "0", "0", "7", "0", "0", "1s"], rows["issues"]); // 0.4 s left reads 1 s, not 0
        Assert.Equal(["statuses", "10", "10", "0", "0", "1", "0", "0"], rows["statuses"]);
        Assert.Equal(["resolutions", "9", "9", "0", "0", "1", "0", "0"], rows["resolutions"]);
        // The 8 others: 1+2+...+8 = 36 records, one request each.
        Assert.Equal(["(8", "more)", "36", "36", "0", "0", "8"], text.Split('\n').Single(l => l.TrimStart().StartsWith("(8 more)")).Split(' ', StringSplitOptions.RemoveEmptyEntries)[..7]);
        Assert.Equal(3, rows.Count);
        Assert.Contains("requests 17  retries 0  429s 0  batches 1", text);
        Assert.Contains("all requests paused, 1 s left", text);
    }
}
