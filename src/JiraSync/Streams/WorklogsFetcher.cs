using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using JiraSync.Jira;
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
public static class WorklogsFetcher
{
    public const int ListMaxIds = 1000;

    public static async Task SyncAsync(TapContext ctx, StreamDefinition def, CancellationToken ct)
    {
        var state = ctx.Output.State;
        var bookmark = state.Get(def.Name, Bookmarks.Updated);
        var since = (bookmark ?? ctx.Config.StartDate).ToUnixTimeMilliseconds();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var scope = new IssueScope(ctx);
        var url = $"rest/api/2/worklog/updated?since={since}";
        Task<JsonElement>? prefetched = null;
        while (true)
        {
            var page = prefetched != null ? await prefetched : await ctx.Api.GetAsync(url, ct);
            prefetched = null;
            var values = JiraPaging.ArrayProperty(page, "values", url);
            var entries = values.EnumerateArray().Select(v => (Id: IdText(v), Updated: Long(v, "updatedTime"))).ToList();
            var fresh = entries.Where(e => e.Id != null && seen.Add(e.Id)).Select(e => e.Id!).ToList();
            var until = Long(page, "until") ?? entries.Select(e => e.Updated).Max() ?? since;
            var lastPage = page.TryGetProperty("lastPage", out var lp) && lp.ValueKind == JsonValueKind.True;
            var next = lastPage || entries.Count == 0 ? null : NextUrl(ctx, page, "worklog/updated", until);
            // The next id page is read while this page's worklogs are: the feed is sequential, the two are not.
            if (next != null && next != url) prefetched = ctx.Api.GetAsync(next, ct);
            try
            {
                var extracted = DateTimeOffset.UtcNow;
                await foreach (var worklogs in OrderedConcurrency.MapAsync(fresh.Chunk(ListMaxIds),
                                   (chunk, t) => ListAsync(ctx, chunk, t), ctx.Concurrency, ct).WithCancellation(ct))
                {
                    // The feed is site-wide; with "projects" configured only their issues' worklogs are emitted.
                    var inside = await scope.InsideAsync(worklogs.Select(IssueIdOf), ct);
                    foreach (var w in worklogs)
                        if (inside.Contains(IssueIdOf(w)))
                            await ctx.Output.RecordAsync(def.Name, SiteStreamFetcher.ToRecord(w), extracted, ct);
                }
            }
            catch when (prefetched != null)
            {
                try { await prefetched; } catch { /* the first failure is the one reported */ }
                throw;
            }

            if (next == url)
            {
                // No progress: every item on the page shares one timestamp. Complete that instant another way.
                ctx.Log.Warn($"worklogs: more than a page of worklogs updated at {SingerTime.FormatEpochMs(until)}; reading issues' worklogs directly");
                await SweepInstantAsync(ctx, def, until, seen, ct);
                until += 1;
                next = $"rest/api/2/worklog/updated?since={until}";
            }
            if (until > since || bookmark is null)
            {
                state.Set(def.Name, Bookmarks.Updated, DateTimeOffset.FromUnixTimeMilliseconds(until));
                bookmark = DateTimeOffset.FromUnixTimeMilliseconds(until);
            }
            await ctx.Output.StateAsync(ct);
            if (next == null) break;
            since = until;
            url = next;
        }
        await DeletedAsync(ctx, def, ct);
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
        var since = from.ToUnixTimeMilliseconds();
        var url = $"rest/api/2/worklog/deleted?since={since}";
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var page = await ctx.Api.GetAsync(url, ct);
            var entries = JiraPaging.ArrayProperty(page, "values", url).EnumerateArray()
                .Select(v => (Id: IdText(v), Updated: Long(v, "updatedTime"))).ToList();
            var extracted = DateTimeOffset.UtcNow;
            foreach (var (id, updated) in entries)
            {
                if (id == null || !seen.Add(id)) continue;
                var record = new JsonObject
                {
                    ["id"] = id,
                    ["_sdc_deleted_at"] = SingerTime.FormatEpochMs(updated ?? extracted.ToUnixTimeMilliseconds()),
                };
                await ctx.Output.RecordAsync(def.Name, record, extracted, ct);
            }
            var until = Long(page, "until") ?? entries.Select(e => e.Updated).Max() ?? since;
            var lastPage = page.TryGetProperty("lastPage", out var lp) && lp.ValueKind == JsonValueKind.True;
            var next = lastPage || entries.Count == 0 ? null : NextUrl(ctx, page, "worklog/deleted", until);
            if (next == url)
            {
                ctx.Log.Warn($"worklogs: more than a page of deletions at {SingerTime.FormatEpochMs(until)}; continuing after it");
                until += 1;
                next = $"rest/api/2/worklog/deleted?since={until}";
            }
            if (until > since) state.Set(def.Name, Bookmarks.Deleted, DateTimeOffset.FromUnixTimeMilliseconds(until));
            await ctx.Output.StateAsync(ct);
            if (next == null) break;
            since = until;
            url = next;
        }
    }

    private static async Task<List<JsonElement>> ListAsync(TapContext ctx, string[] ids, CancellationToken ct)
    {
        var body = new JsonObject
        {
            ["ids"] = new JsonArray(ids.Select(i => (JsonNode)long.Parse(i, CultureInfo.InvariantCulture)).ToArray()),
        };
        var answer = await ctx.Api.PostAsync("rest/api/2/worklog/list", body, ct);
        if (answer.ValueKind != JsonValueKind.Array) throw JiraPaging.Unexpected("rest/api/2/worklog/list", "expected a JSON array");
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
        var jql = $"{ctx.ProjectClause()}created <= \"{literal}\" ORDER BY id ASC";
        await foreach (var page in IssueSearch.PagesAsync(ctx, jql, ["id"], "", ctx.Instance.IsServer ? 1000 : 5000, ct).WithCancellation(ct))
        {
            var ids = page.Issues.Select(i => i.GetProperty("id").GetString()!).ToList();
            await foreach (var worklogs in OrderedConcurrency.MapAsync(ids, (id, t) => IssueWorklogsAsync(ctx, id, t), ctx.Concurrency, ct).WithCancellation(ct))
            {
                var extracted = DateTimeOffset.UtcNow;
                foreach (var w in worklogs)
                {
                    var id = IdText(w, "id");
                    var updated = w.TryGetProperty("updated", out var u) && SingerTime.TryParse(u.GetString(), out var ud) ? ud.ToUnixTimeMilliseconds() : (long?)null;
                    if (id == null || updated != at || !seen.Add(id)) continue;
                    await ctx.Output.RecordAsync(def.Name, SiteStreamFetcher.ToRecord(w), extracted, ct);
                }
            }
        }
    }

    private static async Task<List<JsonElement>> IssueWorklogsAsync(TapContext ctx, string issueId, CancellationToken ct)
    {
        var list = new List<JsonElement>();
        var startAt = 0;
        while (true)
        {
            var url = $"rest/api/2/issue/{issueId}/worklog?startAt={startAt}&maxResults=5000";
            JsonElement page;
            try { page = await ctx.Api.GetAsync(url, ct); }
            catch (JiraNotFoundException) { return list; }
            var worklogs = JiraPaging.ArrayProperty(page, "worklogs", url);
            var count = worklogs.GetArrayLength();
            list.AddRange(worklogs.EnumerateArray());
            startAt += count;
            if (count == 0 || !(page.TryGetProperty("total", out var total) && total.ValueKind == JsonValueKind.Number && startAt < total.GetInt64()))
                return list;
        }
    }

    /// <summary>The next page: Jira's nextPage URL made relative to the base URL, else since=until.</summary>
    private static string NextUrl(TapContext ctx, JsonElement page, string feed, long until)
    {
        if (page.TryGetProperty("nextPage", out var np) && np.ValueKind == JsonValueKind.String
            && Uri.TryCreate(np.GetString(), UriKind.Absolute, out var abs))
        {
            var basePath = ctx.Config.BaseUrl.AbsolutePath.TrimEnd('/') + "/";
            var path = abs.PathAndQuery;
            if (path.StartsWith(basePath, StringComparison.Ordinal) && path.Contains(feed, StringComparison.Ordinal))
                return path[basePath.Length..];
        }
        return $"rest/api/2/{feed}?since={until}";
    }

    private static string IssueIdOf(JsonElement worklog) => IdText(worklog, "issueId") ?? "";

    private static string? IdText(JsonElement e, string name = "worklogId") =>
        e.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.Number => v.GetRawText(),
            JsonValueKind.String => v.GetString(),
            _ => null,
        } : null;

    private static long? Long(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var l) ? l : null;
}
