using JiraSync.Errors;
using JiraSync.Jira;
using JiraSync.Runs;
using Microsoft.Extensions.Time.Testing;

namespace JiraSync.Tests.Operations;

/// <summary>Writes a realistic run history into a store: hourly runs over two days, one auth failure, one run with
/// rate limiting, a dozen tables of different sizes.</summary>
internal static class SampleHistory
{
    public static readonly string[] Tables =
        ["issues", "issue_comments", "issue_transitions", "changelogs", "worklogs", "projects", "users", "versions", "components", "boards", "sprints", "fields"];

    public static async Task<List<string>> WriteAsync(IRunStore store, DateTimeOffset firstStart, int runs = 12)
    {
        var clock = new FakeTimeProvider(firstStart);
        var ids = new List<string>();
        for (var r = 0; r < runs; r++)
        {
            var metrics = new JiraClientMetrics();
            await using var run = await RunRecorder.StartAsync(store, RunStoreTests.Config, new() { Clock = clock, Metrics = metrics, Trigger = "schedule" });
            ids.Add(run.RunId);
            if (r == 4)
            {
                clock.Advance(TimeSpan.FromSeconds(2));
                await run.FailAsync(new AuthException("Jira refused the credentials (401) for https://acme.atlassian.net/rest/api/2/myself"));
            }
            else
            {
                for (var t = 0; t < Tables.Length; t++)
                {
                    var s = run.StartStream(Tables[t], r == 0 ? null : $"2026-11-{20 + r / 24:00}T{r % 24:00}:00:00Z");
                    var rows = r == 0 ? 1000L * (Tables.Length - t) : 37L * (Tables.Length - t) + r;
                    s.AddExtracted(rows); s.AddInserted(rows * 2 / 3); s.AddUpdated(rows / 3); if (t == 0) s.AddDeleted(r % 3);
                    var requests = rows / 50 + 1;
                    s.AddHttp(requests, r == 7 ? 3 : 0, r == 7 ? 2 : 0, rows * 900);
                    for (var q = 0; q < requests; q++) metrics.CountRequest();
                    if (r == 7 && t == 0) { metrics.CountRetry(); metrics.CountRetry(); metrics.CountRateLimited(); }
                    s.BookmarkAfter = $"2026-11-{20 + (r + 1) / 24:00}T{(r + 1) % 24:00}:00:00Z";
                    clock.Advance(TimeSpan.FromSeconds(r == 0 ? 20 : 2 + t % 3));
                    await run.StreamFinishedAsync(s);
                }
                await run.FinishAsync(RunStatus.Succeeded);
            }
            clock.Advance(TimeSpan.FromHours(1) - (clock.GetUtcNow() - run.Run.StartedAt));
        }
        return ids;
    }
}
