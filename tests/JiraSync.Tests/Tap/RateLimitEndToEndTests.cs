using System.Text.RegularExpressions;
using JiraSync.Simulator;

namespace JiraSync.Tests.Tap;

/// <summary>A whole tap run against a simulator in rate-limit mode: every key arrives, and the client lowered its
/// concurrency when the budget headers or a 429 told it to.</summary>
public class RateLimitEndToEndTests
{
    [Fact]
    public async Task A_rate_limited_site_gets_every_key_with_lowered_concurrency()
    {
        await using var h = await TapHarness.StartAsync(new SimulatorOptions
        {
            Projects = 2, IssuesPerProject = 12, Users = 8, HeavyIssues = 1, WorklogsAtOneInstant = 0,
            RateLimitPerSecond = 2, RateLimitBurst = 4,
        }, new Dictionary<string, object?> { ["max_concurrency"] = 8 });
        var run = await h.RunAsync(TapHarness.AllSelected());
        Assert.Null(run.Error);

        var expected = h.Simulator.Control.ExpectedKeys();
        var emitted = run.Keys();
        foreach (var (stream, keys) in expected)
            Assert.True(keys.SetEquals(emitted.GetValueOrDefault(stream) ?? []),
                $"{stream}: {keys.Count} expected, {emitted.GetValueOrDefault(stream)?.Count ?? 0} emitted");

        // The simulator signalled: at least one answer near the limit or over it.
        var statuses = h.Simulator.Control.Requests.Entries.Select(e => e.Status).ToList();
        Assert.All(statuses, s => Assert.True(s is 200 or 429, $"unexpected status {s}"));
        // The extraction log shows the limit going down from max_concurrency 8.
        var limits = run.Log.Lines.Select(l => Regex.Match(l, @"concurrency now (\d+) of 8")).Where(m => m.Success)
            .Select(m => int.Parse(m.Groups[1].Value)).ToList();
        Assert.True(limits.Count > 0, $"no concurrency change in the log; {statuses.Count} requests, {statuses.Count(s => s == 429)} answered 429");
        Assert.True(limits.Min() < 8, $"limits seen: {string.Join(", ", limits)}");
    }
}
