using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using JiraSync.Jira;
using JiraSync.Jira.Paging;
using JiraSync.Logging;
using JiraSync.Singer;

namespace JiraSync.Streams;

/// <summary>
/// worklogs through Jira's change feeds (jira-api-notes.md §5): worklog/updated?since=ms gives ids
/// (1000 a page, oldest first) and worklog/list turns them into worklogs (at most 1000 ids a
/// request); worklog/deleted reports deletions, emitted as records with _sdc_deleted_at.
/// Pages are followed by nextPage until lastPage, and the "updated" bookmark moves to each page's
/// until after its records. tap-jira aborts when 1000 worklogs share one timestamp, because the next
/// page starts at the same since and returns the same ids: here a page that makes no progress is
/// completed from the issues' own worklog lists and the feed resumes one millisecond later.
/// The feed is site-wide: with "projects" configured, <see cref="IssueScope"/> keeps only their worklogs.
/// </summary>
internal static class WorklogsFetcher
{
    public const int ListMaxIds = 1000;

    public static async Task SyncAsync(TapContext ctx, StreamDefinition def, CancellationToken ct)
    {
        var state = ctx.Output.State;
        var bookmark = state.Get(def.Name, Bookmarks.Updated);
        var since = (bookmark ?? ctx.Config.StartDate).ToUnixTimeMilliseconds();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var scope = new IssueScope(ctx);
        // Each page's ids turn into worklogs (worklog/list) while the feed's next pages are asked for, so the lists of
        // several pages are in flight at once; records, the stall handling and the bookmark still follow the feed's order
        // (a null list marks the end of its page).
        await foreach (var (page, worklogs) in OrderedConcurrency.MapAsync(FeedAsync(ctx, since, seen, ct),
                           async (item, t) => (item.Page, item.Ids is null ? null : await ListAsync(ctx, item.Ids, t)), ctx.Concurrency, ct)
                           .WithCancellation(ct))
        {
            if (worklogs != null)
            {
                var extracted = DateTimeOffset.UtcNow;
                // The feed is site-wide; with "projects" configured only their issues' worklogs are emitted.
                var inside = await scope.InsideAsync(worklogs.Select(IssueIdOf), ct);
                foreach (var w in worklogs)
                    if (inside.Contains(IssueIdOf(w)))
                        await ctx.Output.RecordAsync(def.Name, DeclaredStreamFetcher.ToRecord(w), extracted, ct);
                continue;
            }
            if (page.Stalled)
            {
                // No progress: every item on the page shares one timestamp. Complete that instant another way.
                ctx.Log.Warn($"worklogs: more than a page of worklogs updated at {SingerTime.FormatEpochMs(page.Until)}; reading issues' worklogs directly");
                await SweepInstantAsync(ctx, def, page.Until, seen, ct);
            }
            if (page.ResumeFrom > page.Since || bookmark is null)
            {
                bookmark = DateTimeOffset.FromUnixTimeMilliseconds(page.ResumeFrom);
                state.Set(def.Name, Bookmarks.Updated, bookmark.Value);
            }
            await ctx.Output.StateAsync(ct);
        }
        await DeletedAsync(ctx, def, ct);
    }

    /// <summary>The feed's pages as work: each page's ids not seen before, up to <see cref="ListMaxIds"/> a list, then the
    /// page itself with no ids (its end). Read ahead of the consumer, so <paramref name="seen"/> is locked.</summary>
    private static async IAsyncEnumerable<(WorklogFeedPage Page, string[]? Ids)> FeedAsync(TapContext ctx, long since, HashSet<string> seen,
        [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var page in new WorklogFeedPager(ctx.Config.BaseUrl).PagesAsync(ctx.Api, "rest/api/2/worklog/updated", since, ct).WithCancellation(ct))
        {
            List<string> fresh;
            lock (seen) fresh = page.Entries.Where(e => e.Id != null && seen.Add(e.Id)).Select(e => e.Id!).ToList();
            foreach (var chunk in fresh.Chunk(ListMaxIds)) yield return (page, chunk);
            yield return (page, null);
        }
    }

    /// <summary>worklog/deleted since the "deleted" bookmark. The first run only sets the bookmark:
    /// deletions before the first sync concern rows no target holds.</summary>
    private static async Task DeletedAsync(TapContext ctx, StreamDefinition def, CancellationToken ct)
    {
        var state = ctx.Output.State;
        if (state.Get(def.Name, Bookmarks.Deleted) is not { } from)
        {
            state.Set(def.Name, Bookmarks.Deleted, ctx.Instance.ServerTime);
            await ctx.Output.StateAsync(ct);
            return;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var page in new WorklogFeedPager(ctx.Config.BaseUrl).PagesAsync(ctx.Api, "rest/api/2/worklog/deleted", from.ToUnixTimeMilliseconds(), ct).WithCancellation(ct))
        {
            var extracted = DateTimeOffset.UtcNow;
            foreach (var (id, updated) in page.Entries)
            {
                if (id == null || !seen.Add(id)) continue;
                var record = new JsonObject
                {
                    ["id"] = id,
                    ["_sdc_deleted_at"] = SingerTime.FormatEpochMs(updated ?? extracted.ToUnixTimeMilliseconds()),
                };
                await ctx.Output.RecordAsync(def.Name, record, extracted, ct);
            }
            if (page.Stalled)
                ctx.Log.Warn($"worklogs: more than a page of deletions at {SingerTime.FormatEpochMs(page.Until)}; continuing after it");
            if (page.ResumeFrom > page.Since) state.Set(def.Name, Bookmarks.Deleted, DateTimeOffset.FromUnixTimeMilliseconds(page.ResumeFrom));
            await ctx.Output.StateAsync(ct);
        }
    }

    private static async Task<List<JsonElement>> ListAsync(TapContext ctx, string[] ids, CancellationToken ct)
    {
        RequestPriority.MarkBulk();
        var body = new JsonObject
        {
            ["ids"] = new JsonArray(ids.Select(i => (JsonNode)long.Parse(i, CultureInfo.InvariantCulture)).ToArray()),
        };
        var answer = await ctx.Api.PostAsync("rest/api/2/worklog/list", body, ct);
        if (answer.ValueKind != JsonValueKind.Array) throw PageEnvelope.Unexpected("rest/api/2/worklog/list", "expected a JSON array");
        return answer.EnumerateArray().ToList();
    }

    /// <summary>
    /// The feed cannot get past a millisecond shared by more than a page of worklogs, and Jira offers no
    /// other index of worklogs by update time. A worklog is never older than its issue, so every issue
    /// created by then (an id-only search, 5000 ids a page) has its worklogs read (issue/{id}/worklog,
    /// concurrently), and those updated at exactly that millisecond that the feed did not give are emitted.
    /// Costly (one request per issue) but complete, and needed only in this rare case.
    /// </summary>
    private static async Task SweepInstantAsync(TapContext ctx, StreamDefinition def, long at, HashSet<string> seen, CancellationToken ct)
    {
        var literal = JqlTime.Literal(DateTimeOffset.FromUnixTimeMilliseconds(at).AddMinutes(2), ctx.Instance.TimeZone, 0);
        var jql = $"{ctx.SiteProjectClause()}created <= \"{literal}\" ORDER BY id ASC";
        await foreach (var page in IssueSearch.PagesAsync(ctx, jql, ["id"], "", ctx.Instance.IsServer ? 1000 : 5000, ct).WithCancellation(ct))
        {
            var ids = page.Issues.Select(i => i.GetProperty("id").GetString()!).ToList();
            await foreach (var worklogs in OrderedConcurrency.MapAsync(ids, (id, t) => IssueWorklogsAsync(ctx, id, t), ctx.Concurrency, ct).WithCancellation(ct))
            {
                var extracted = DateTimeOffset.UtcNow;
                foreach (var w in worklogs)
                {
                    var id = WorklogFeedPager.IdText(w, "id");
                    var updated = w.TryGetProperty("updated", out var u) && SingerTime.TryParse(u.GetString(), out var ud) ? ud.ToUnixTimeMilliseconds() : (long?)null;
                    bool fresh;
                    lock (seen) fresh = id != null && updated == at && seen.Add(id);
                    if (!fresh) continue;
                    await ctx.Output.RecordAsync(def.Name, DeclaredStreamFetcher.ToRecord(w), extracted, ct);
                }
            }
        }
    }

    /// <summary>Emits every worklog of the given issues from each issue's own list (issue/{id}/worklog, concurrently): for
    /// issues read again because they came back into view, whose worklogs the feed does not list again (their
    /// <c>updated</c> is older than its bookmark). Nothing when worklogs is not selected.</summary>
    /// <param name="ctx">The run.</param>
    /// <param name="issueIds">The issues whose worklogs to emit.</param>
    /// <param name="ct">Cancels the run.</param>
    public static async Task EmitOfIssuesAsync(TapContext ctx, IReadOnlyList<string> issueIds, CancellationToken ct)
    {
        if (!ctx.Output.IsSelected("worklogs")) return;
        await foreach (var worklogs in OrderedConcurrency.MapAsync(issueIds, (id, t) => IssueWorklogsAsync(ctx, id, t), ctx.Concurrency, ct).WithCancellation(ct))
        {
            var extracted = DateTimeOffset.UtcNow;
            foreach (var w in worklogs) await ctx.Output.RecordAsync("worklogs", DeclaredStreamFetcher.ToRecord(w), extracted, ct);
        }
    }

    private static async Task<List<JsonElement>> IssueWorklogsAsync(TapContext ctx, string issueId, CancellationToken ct)
    {
        try { return await new OffsetListPager("worklogs", 5000).ListAsync(ctx.Api, $"rest/api/2/issue/{issueId}/worklog", ct); }
        catch (JiraNotFoundException) { return []; }
    }

    private static string IssueIdOf(JsonElement worklog) => WorklogFeedPager.IdText(worklog, "issueId") ?? "";
}
