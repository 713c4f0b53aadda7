using JiraSync.Loading.Destinations.Jsonl;
using System.Text.Json;
using JiraSync.Runs;
using JiraSync.Runs.Report;
using JiraSync.Tests.Support;

namespace JiraSync.Tests.Operations;

/// <summary>The HTML report in real headless Chromium, on a desktop and a phone-sized screen.</summary>
public class HtmlReportTests
{
    /// <summary>TestResults/screenshots at the repository root (where ./run-tests keeps its results), kept as artifacts.</summary>
    internal static string ScreenshotDir()
    {
        var path = Path.Combine(RepoPaths.Root, "TestResults", "screenshots");
        Directory.CreateDirectory(path);
        return path;
    }

    private const string Inspect = """
        JSON.stringify({
          charts: [...document.querySelectorAll('figure.chart')].map(f => ({
            id: f.dataset.chart,
            marks: f.querySelectorAll('rect.mark').length,
            positive: [...f.querySelectorAll('rect.mark')].filter(r => Number(r.dataset.value) > 0 && r.getBBox().height > 0).length,
            width: f.querySelector('svg').getBoundingClientRect().width })),
          runRows: document.querySelectorAll('section table tbody tr').length,
          pageOverflowsSideways: document.documentElement.scrollWidth > window.innerWidth + 1,
          scripts: document.scripts.length,
          external: [...document.querySelectorAll('[src],link[href]')].map(e => e.getAttribute('src') || e.getAttribute('href'))
        })
        """;

    [Fact]
    public async Task The_report_renders_in_headless_chromium_with_data_in_every_chart_on_desktop_and_phone()
    {
        var dir = RunStoreTests.TempDir();
        var store = new JsonlRunStore(dir);
        var now = DateTimeOffset.UtcNow;
        await SampleHistory.WriteAsync(store, now.AddHours(-13));
        var history = await RunHistory.ReadAsync(store, 50, now);
        var file = Path.Combine(dir, "report.html");
        await File.WriteAllTextAsync(file, HtmlReport.Render(history, store.Description));

        await using var chromium = await HeadlessChromium.StartAsync();
        foreach (var (name, width, height, mobile) in new[] { ("desktop", 1280, 900, false), ("phone", 390, 844, true) })
        {
            var shot = Path.Combine(ScreenshotDir(), $"runs-report-{name}.png");
            var load = await chromium.LoadAsync(file, width, height, mobile, Inspect, shot);

            Assert.Empty(load.ConsoleProblems);
            Assert.All(load.RequestedUrls, u => Assert.True(u.StartsWith("file:") || u.StartsWith("data:"), $"the page fetched {u}"));
            var page = JsonDocument.Parse(load.Evaluated.GetString()!).RootElement;
            var charts = page.GetProperty("charts").EnumerateArray().ToList();
            Assert.Equal(["rows-per-table", "duration", "requests", "retries", "usage"], charts.Select(c => c.GetProperty("id").GetString()));
            foreach (var c in charts)
            {
                Assert.True(c.GetProperty("positive").GetInt32() > 0, $"{name}: chart {c.GetProperty("id")} has no visible bars");
                Assert.True(c.GetProperty("width").GetDouble() > Math.Min(width * 0.8, 400), $"{name}: chart {c.GetProperty("id")} is only {c.GetProperty("width")}px wide");
            }
            // 12 runs × 8 top tables + "other" (minus the failed run) in the stacked chart; 11 succeeded + 1 failed durations.
            Assert.Equal(11 * 9, charts[0].GetProperty("marks").GetInt32());
            Assert.Equal(12, charts[1].GetProperty("marks").GetInt32());
            Assert.False(page.GetProperty("pageOverflowsSideways").GetBoolean(), $"{name}: the page scrolls sideways");
            Assert.Equal(0, page.GetProperty("scripts").GetInt32());
            Assert.DoesNotContain(page.GetProperty("external").EnumerateArray(), e => !e.GetString()!.StartsWith("data:"));
            Assert.True(new FileInfo(shot).Length > 10_000, "screenshot is suspiciously small");
        }
    }

    /// <summary>For every failed run, in the "Failed runs" list and in the runs table: its run id, status text and error
    /// text, and whether each is visible (non-empty box inside the viewport and inside every clipping ancestor, text not
    /// cut inside its own box). Plus the summary cards and the duration chart's bar titles.</summary>
    private const string InspectFailures = """
        (() => {
          const vw = document.documentElement.clientWidth;
          const visible = el => {
            if (!el) return false;
            const r = el.getBoundingClientRect();
            let left = 0, right = vw;
            for (let a = el.parentElement; a; a = a.parentElement) {
              const s = getComputedStyle(a);
              if (s.display === 'none' || s.visibility === 'hidden') return false;
              if (s.overflowX !== 'visible') { const ar = a.getBoundingClientRect(); left = Math.max(left, ar.left); right = Math.min(right, ar.right); }
            }
            return r.width > 0 && r.height > 0 && r.left >= left - 1 && r.right <= right + 1 && el.scrollWidth <= el.clientWidth + 1;
          };
          const item = (root, run, status, error) => ({ run: root.querySelector(run)?.innerText.trim(),
            status: root.querySelector(status)?.innerText.trim(), statusVisible: visible(root.querySelector(status)),
            error: root.querySelector(error)?.innerText.trim(), errorVisible: visible(root.querySelector(error)) });
          return JSON.stringify({
            listed: [...document.querySelectorAll('.failures li')].map(li => item(li, 'code', '.status', 'p.err')),
            table: [...document.querySelectorAll('table.runs tbody tr')].map(tr => item(tr, 'code', '.status', 'td.err')),
            cards: [...document.querySelectorAll('.card')].map(c => c.innerText.replace(/\s+/g, ' ').trim()),
            durationBars: [...document.querySelectorAll('figure[data-chart=duration] rect.mark title')].map(t => t.textContent.split(' · ')[0])
          });
        })()
        """;

    [Fact]
    public async Task Failed_runs_show_their_status_and_whole_error_on_a_phone_and_a_desktop()
    {
        var dir = RunStoreTests.TempDir();
        var store = new JsonlRunStore(dir);
        var now = DateTimeOffset.UtcNow;
        await SampleHistory.WriteAsync(store, now.AddHours(-13), runs: 6); // its fifth run fails (401)
        // Three more runs started within one minute: two fail, one with a long error holding an unbroken URL.
        var longError = "Jira answered 503 Service Unavailable for https://acme.atlassian.net/rest/api/2/search/jql?jql=project%20in%20(ALPHA,BETA,GAMMA)%20AND%20updated%3E%3D%222026%2F11%2F01%2012%3A00%22%20ORDER%20BY%20updated%20ASC&maxResults=5000&fields=id"
                        + " after 6 attempts; the run stopped and what it had extracted is committed";
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 5, TimeSpan.Zero).AddHours(-1));
        var expected = new List<(string Id, string Error)>();
        foreach (var error in new[] { longError, null, "cannot reach Jira at acme.atlassian.net: the host name cannot be resolved (DNS)" })
        {
            await using var run = await RunRecorder.StartAsync(store, RunStoreTests.Config, new() { Clock = clock, Trigger = "schedule" });
            clock.Advance(TimeSpan.FromSeconds(9));
            if (error is null) await run.FinishAsync(RunStatus.Succeeded);
            else { await run.FailAsync(new JiraSync.Errors.RunFailedException(error)); expected.Add((run.RunId, error)); }
            clock.Advance(TimeSpan.FromSeconds(3));
        }
        var history = await RunHistory.ReadAsync(store, 50, now);
        var sampleFailure = history.Runs.Single(r => r.Error?.Contains("refused the credentials") == true);
        expected.Add((sampleFailure.RunId, sampleFailure.Error!));
        var file = Path.Combine(dir, "report.html");
        await File.WriteAllTextAsync(file, HtmlReport.Render(history, store.Description));

        await using var chromium = await HeadlessChromium.StartAsync();
        foreach (var (name, width, height, mobile) in new[] { ("desktop", 1280, 900, false), ("phone", 390, 844, true) })
        {
            var shot = Path.Combine(ScreenshotDir(), $"runs-report-failures-{name}.png");
            var load = await chromium.LoadAsync(file, width, height, mobile, InspectFailures, shot);
            Assert.Empty(load.ConsoleProblems);
            var page = JsonDocument.Parse(load.Evaluated.GetString()!).RootElement;
            foreach (var part in new[] { "listed", "table" })
            {
                var rows = page.GetProperty(part).EnumerateArray().ToDictionary(r => r.GetProperty("run").GetString()!);
                foreach (var (id, error) in expected)
                {
                    var row = rows[id];
                    Assert.Equal("failed", row.GetProperty("status").GetString());
                    Assert.True(row.GetProperty("statusVisible").GetBoolean(), $"{name}, {part}: the status of {id} is not visible");
                    Assert.Equal(error, row.GetProperty("error").GetString());
                    Assert.True(row.GetProperty("errorVisible").GetBoolean(), $"{name}, {part}: the error of {id} is cut or hidden");
                }
            }
            Assert.Equal(expected.Count, page.GetProperty("listed").GetArrayLength());
            var cards = page.GetProperty("cards").EnumerateArray().Select(c => c.GetString()).ToList();
            Assert.Contains($"{history.Runs.Count} runs shown", cards);
            Assert.Contains($"{history.Runs.Count - expected.Count} succeeded", cards);
            Assert.Contains($"{expected.Count} failed or interrupted", cards);
            var bars = page.GetProperty("durationBars").EnumerateArray().Select(b => b.GetString()).ToList();
            Assert.Equal(history.Runs.Count, bars.Count);
            Assert.Equal(bars.Count, bars.Distinct().Count()); // runs in the same minute get different labels
        }
    }
}
