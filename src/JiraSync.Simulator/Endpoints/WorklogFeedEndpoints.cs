using System.Text.Json;
using JiraSync.Simulator.Http;
using JiraSync.Simulator.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace JiraSync.Simulator.Endpoints;

/// <summary>The instance-wide worklog feeds (OpenAPI getIdsOfWorklogsModifiedSince / ...DeletedSince /
/// getWorklogsForIds): worklog/updated and worklog/deleted page 1000 ids oldest first from `since`
/// (inclusive, epoch ms); `until` is the newest time on the page and `nextPage` repeats the query with
/// since=until, so boundary items repeat and a page of 1000 sharing one millisecond cannot advance.
/// Both hide worklogs changed in the minute before the simulator's clock (OpenAPI descriptions of both).
/// worklog/list returns full worklogs for at most 1000 ids.</summary>
internal static class WorklogFeedEndpoints
{
    private const int PageSize = 1000;

    public static void Map(IEndpointRouteBuilder app, SimContext sim)
    {
        const string api = "/rest/api/2/worklog/";
        var r = sim.Render;

        app.MapGet(api + "updated", ctx => Feed(ctx, sim, "updated", s =>
        {
            var cutoff = s.NowMs - 60_000;
            return s.WorklogsByUpdated().Where(x => x.UpdatedMs < cutoff).Select(x => (x.Id, x.UpdatedMs));
        }));
        app.MapGet(api + "deleted", ctx => Feed(ctx, sim, "deleted", s =>
        {
            var cutoff = s.NowMs - 60_000;
            return s.DeletedWorklogs().Where(x => x.DeletedMs < cutoff).Select(x => (x.Id, x.DeletedMs));
        }));

        app.MapPost(api + "list", async ctx =>
        {
            if (await EndpointHelpers.ReadBody(ctx) is not { ValueKind: JsonValueKind.Object } body || !body.TryGetProperty("ids", out var idsEl) || idsEl.ValueKind != JsonValueKind.Array)
            { await JsonOut.Error(ctx, 400, "Request must contain a list of worklog ids."); return; }
            var ids = new List<long>();
            foreach (var e in idsEl.EnumerateArray())
                if (e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var n) || e.ValueKind == JsonValueKind.String && long.TryParse(e.GetString(), out n))
                    ids.Add(n);
            if (ids.Count == 0 || ids.Count > PageSize)
            { await JsonOut.Error(ctx, 400, $"The number of worklog ids must be between 1 and {PageSize}."); return; }
            await JsonOut.Send(ctx, sim.Store, w =>
            {
                w.WriteStartArray();
                foreach (var id in ids.Distinct())
                    if (sim.Store.WorklogsById.TryGetValue(id, out var x) && !x.Deleted && sim.Store.IsVisible(sim.Store.IssuesById[x.IssueId]))
                        r.Worklog(w, x);
                w.WriteEndArray();
            });
        });
    }

    private static Task Feed(HttpContext ctx, SimContext sim, string name, Func<SimulatorStore, IEnumerable<(long Id, long At)>> source)
    {
        var since = long.TryParse(ctx.Request.Query["since"], out var s) ? s : 0;
        return JsonOut.Send(ctx, sim.Store, w =>
        {
            var items = source(sim.Store).Where(x => x.At >= since).Take(PageSize + 1).ToList();
            var lastPage = items.Count <= PageSize;
            if (!lastPage) items.RemoveAt(items.Count - 1);
            var until = items.Count > 0 ? items[^1].At : since;
            var self = $"{sim.Render.Api}worklog/{name}?since={since}";
            w.WriteStartObject();
            w.WriteStartArray("values");
            foreach (var (id, at) in items)
            {
                w.WriteStartObject();
                w.WriteNumber("worklogId", id);
                w.WriteNumber("updatedTime", at);
                w.WriteStartArray("properties"); w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteNumber("since", since);
            w.WriteNumber("until", until);
            w.WriteString("self", self);
            if (!lastPage) w.WriteString("nextPage", $"{sim.Render.Api}worklog/{name}?since={until}");
            w.WriteBoolean("lastPage", lastPage);
            w.WriteEndObject();
        });
    }
}
