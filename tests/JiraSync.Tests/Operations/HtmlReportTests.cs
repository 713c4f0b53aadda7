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
}
