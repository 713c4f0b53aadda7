using System.Text.Json.Nodes;
using JiraSync.Singer;
using JiraSync.Streams;

namespace JiraSync.Tests.Tap;

/// <summary>Start dates and bookmarks at the edges of time: "from the very beginning" works, a point in the
/// future is said out loud rather than loading nothing silently.</summary>
public class StartAndBookmarkTests
{
    [Theory]
    [InlineData("0001-01-01")]
    [InlineData("1900-01-01T00:00:00Z")]
    public async Task A_start_date_before_1970_extracts_everything(string startDate)
    {
        await using var h = await TapHarness.StartAsync(extraConfig: new Dictionary<string, object?> { ["start_date"] = startDate });
        var catalog = TapHarness.AllSelected();
        var run = await h.RunAsync(catalog);
        Assert.Null(run.Error);
        var expected = h.Simulator.Control.ExpectedKeys();
        Assert.Equal(expected["issues"].Order(), run.Keys()["issues"].Order());
        Assert.Equal(expected["worklogs"].Order(), run.Keys()["worklogs"].Order());
    }

    [Theory]
    [InlineData("issues", "updated")]
    [InlineData("worklogs", "since")]
    public async Task A_bookmark_after_jiras_clock_is_warned_about_with_what_to_do(string stream, string key)
    {
        await using var h = await TapHarness.StartAsync();
        var jiraNow = h.Simulator.Options.ClockStart;
        var future = SingerTime.Format(jiraNow.AddYears(3));
        var state = new JsonObject { ["bookmarks"] = new JsonObject { [stream] = new JsonObject { [key] = future } } };
        var catalog = Discovery.BuildCatalog(false);
        catalog.Find(stream)!.Metadata.Set([], "selected", true);
        var run = await h.RunAsync(catalog, state);
        Assert.Null(run.Error);
        var warning = Assert.Single(run.Log.Lines, l => l.StartsWith($"WARNING bookmarks.{stream}.{key}"));
        Assert.Contains($"{future} is after Jira's current time {SingerTime.Format(jiraNow)}", warning);
        Assert.Contains($"sync --reset {stream}", warning);
    }
}
