using JiraSync.Simulator.Http;
using JiraSync.Simulator.Model;
using JiraSync.Simulator.Rendering;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace JiraSync.Simulator.Endpoints;

/// <summary>Per-issue child collections, each with its own envelope:
/// changelog (PageBean, default and max 100, oldest first), comment (PageOf `comments`, default and max
/// 5000 per the Cloud per-issue cap, orderBy created|-created), worklog (PageOf `worklogs`, default 5000,
/// startedAfter/startedBefore in epoch ms), transitions (not paginated). Missing or invisible issue → 404.</summary>
internal static class IssueChildEndpoints
{
    private const string NotFound = "Issue does not exist or you do not have permission to see it.";

    public static void Map(IEndpointRouteBuilder app, SimContext sim)
    {
        const string api = "/rest/api/2/issue/{idOrKey}/";
        var r = sim.Render;

        app.MapGet(api + "changelog", (HttpContext ctx, string idOrKey) =>
        {
            var page = Page.From(ctx, 100, 100);
            return JsonOut.Send(ctx, sim.Store, w =>
            {
                var issue = Visible(sim, idOrKey);
                EndpointHelpers.PageBean(w, ctx, $"{r.Api}issue/{idOrKey}/changelog", page, issue.Histories, (w2, h) => r.History(w2, h, withIssueId: false));
            });
        });

        app.MapGet(api + "comment", (HttpContext ctx, string idOrKey) =>
        {
            var page = Page.From(ctx, 5000, 5000);
            var order = (string?)ctx.Request.Query["orderBy"];
            if (order is not (null or "" or "created" or "+created" or "-created"))
                return JsonOut.Error(ctx, 400, $"The orderBy parameter '{order}' is not valid. Only 'created' is supported.");
            return JsonOut.Send(ctx, sim.Store, w =>
            {
                var issue = Visible(sim, idOrKey);
                IEnumerable<SimComment> live = issue.Comments.Where(c => !c.Deleted);
                if (order == "-created") live = live.Reverse();
                var all = live.ToList();
                w.WriteStartObject();
                w.WriteNumber("startAt", page.StartAt);
                w.WriteNumber("maxResults", page.MaxResults);
                w.WriteNumber("total", all.Count);
                w.WriteStartArray("comments");
                var rendered = ((string?)ctx.Request.Query["expand"])?.Contains("renderedBody", StringComparison.OrdinalIgnoreCase) == true;
                foreach (var c in page.Slice(all)) r.Comment(w, c, rendered);
                w.WriteEndArray();
                w.WriteEndObject();
            });
        });

        app.MapGet(api + "worklog", (HttpContext ctx, string idOrKey) =>
        {
            var q = ctx.Request.Query;
            // The spec: a non-numeric startAt gives 404 here, not 400.
            if (q.ContainsKey("startAt") && !long.TryParse(q["startAt"], out _)) return JsonOut.Error(ctx, 404, NotFound);
            var page = Page.From(ctx, 5000, 5000);
            long? after = long.TryParse(q["startedAfter"], out var a) ? a : null;
            long? before = long.TryParse(q["startedBefore"], out var b) ? b : null;
            return JsonOut.Send(ctx, sim.Store, w =>
            {
                var issue = Visible(sim, idOrKey);
                var all = issue.Worklogs.Where(x => !x.Deleted && (after is null || x.StartedMs >= after) && (before is null || x.StartedMs <= before)).ToList();
                w.WriteStartObject();
                w.WriteNumber("startAt", page.StartAt);
                w.WriteNumber("maxResults", page.MaxResults);
                w.WriteNumber("total", all.Count);
                w.WriteStartArray("worklogs");
                var props = ((string?)ctx.Request.Query["expand"])?.Contains("properties", StringComparison.OrdinalIgnoreCase) == true;
                foreach (var x in page.Slice(all)) r.Worklog(w, x, props);
                w.WriteEndArray();
                w.WriteEndObject();
            });
        });

        app.MapGet(api + "transitions", (HttpContext ctx, string idOrKey) => JsonOut.Send(ctx, sim.Store, w =>
        {
            var issue = Visible(sim, idOrKey);
            w.WriteStartObject();
            w.WriteString("expand", "transitions");
            w.WriteStartArray("transitions");
            foreach (var t in Renderer.TransitionsOf(issue)) r.Transition(w, t);
            w.WriteEndArray();
            w.WriteEndObject();
        }));
        MapRelations(app, sim);
    }

    /// <summary>Watchers and remote links cost one request per issue (jira-api-notes §14.2); attachment/{id} and
    /// issueLink/{id} return one item (404 when its issue, or either linked issue, is not visible).</summary>
    private static void MapRelations(IEndpointRouteBuilder app, SimContext sim)
    {
        const string api = "/rest/api/2/";
        var r = sim.Render;
        // OpenAPI getIssueWatchers: {self, isWatching, watchCount, watchers[]}, not paged; same on DC.
        app.MapGet(api + "issue/{idOrKey}/watchers", (HttpContext ctx, string idOrKey) =>
            JsonOut.Send(ctx, sim.Store, w => r.Watchers(w, Visible(sim, idOrKey))));
        // OpenAPI getRemoteIssueLinks: plain array; `globalId` selects one; same on DC.
        app.MapGet(api + "issue/{idOrKey}/remotelink", (HttpContext ctx, string idOrKey) => JsonOut.Send(ctx, sim.Store, w =>
        {
            var issue = Visible(sim, idOrKey);
            string? globalId = ctx.Request.Query["globalId"];
            w.WriteStartArray();
            foreach (var l in issue.RemoteLinks)
            {
                if (!string.IsNullOrEmpty(globalId) && Renderer.RemoteLinkGlobalId(l) != globalId) continue;
                r.RemoteLink(w, l, issue);
            }
            w.WriteEndArray();
        }));
        app.MapGet(api + "attachment/{id}", (HttpContext ctx, string id) => JsonOut.Send(ctx, sim.Store, w =>
        {
            var a = sim.Store.Issues.Where(sim.Store.IsVisible).SelectMany(i => i.Attachments).FirstOrDefault(x => x.Id.ToString() == id)
                    ?? throw new KeyNotFoundException($"The attachment with id '{id}' does not exist");
            r.Attachment(w, a);
        }));
        app.MapGet(api + "issueLink/{linkId}", (HttpContext ctx, string linkId) => JsonOut.Send(ctx, sim.Store, w =>
        {
            var link = long.TryParse(linkId, out var n) && sim.Store.Links.TryGetValue(n, out var l)
                       && sim.Store.IsVisible(sim.Store.IssuesById[l.InwardIssueId]) && sim.Store.IsVisible(sim.Store.IssuesById[l.OutwardIssueId])
                ? l : throw new KeyNotFoundException($"No issue link with id '{linkId}' exists.");
            r.IssueLinkBoth(w, link);
        }));
    }

    private static SimIssue Visible(SimContext sim, string idOrKey) => sim.Store.FindVisibleIssue(idOrKey) ?? throw new IssueNotFound();
}
