using JiraSync.Simulator.Http;
using JiraSync.Simulator.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace JiraSync.Simulator.Endpoints;

/// <summary>Jira Software agile API (jira-software-openapi.json; jira-api-notes §7, §14.3): board
/// (startAt/maxResults/total/isLast/values, max 50; `type`, `projectKeyOrId`, `includePrivate`), board/{id}/sprint
/// (no total, as in go-jira's captured sprints.json; closed, active, future order; `state` filter; a sprint shared by
/// boards is listed under each) and sprint/{id}. A kanban board answers 400 for sprints, a private board 403
/// (Assumed: listed by includePrivate but not viewable), a deleted sprint 404.</summary>
internal static class AgileEndpoints
{
    private const string NoBoard = "Board does not exist or you do not have permission to see it.";

    public static void Map(IEndpointRouteBuilder app, SimContext sim)
    {
        const string agile = "/rest/agile/1.0/";
        var r = sim.Render;

        app.MapGet(agile + "board", ctx =>
        {
            var page = Page.From(ctx, 50, 50);
            var q = ctx.Request.Query;
            string? projectFilter = q["projectKeyOrId"];
            var types = ((string?)q["type"])?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var includePrivate = string.Equals(q["includePrivate"], "true", StringComparison.OrdinalIgnoreCase);
            return JsonOut.Send(ctx, sim.Store, w =>
            {
                var boards = sim.Store.Boards.Where(b => !b.Project.Hidden && !b.Private &&
                    (types is null || types.Contains(b.Type)) &&
                    (string.IsNullOrEmpty(projectFilter) || b.Project.Key == projectFilter || b.Project.Id.ToString() == projectFilter)).ToList();
                // "Appends private boards to the end of the list" (getAllBoards includePrivate).
                if (includePrivate) boards.AddRange(sim.Store.Boards.Where(b => !b.Project.Hidden && b.Private));
                EndpointHelpers.PageBean(w, ctx, "", page, boards, r.Board, withSelf: false);
            });
        });

        app.MapGet(agile + "board/{boardId}/sprint", (HttpContext ctx, string boardId) =>
        {
            var board = sim.Store.Read(s => s.Boards.FirstOrDefault(b => b.Id.ToString() == boardId && !b.Project.Hidden));
            if (board is null) return JsonOut.Error(ctx, 404, NoBoard);
            if (board.Private) return JsonOut.Error(ctx, 403, "The requested board cannot be viewed because it either does not exist or you do not have permission to view it.");
            if (!board.SupportsSprints) return JsonOut.Error(ctx, 400, "The board does not support sprints");
            var page = Page.From(ctx, 50, 50);
            var states = ((string?)ctx.Request.Query["state"])?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            return JsonOut.Send(ctx, sim.Store, w =>
            {
                var order = new[] { "closed", "active", "future" };
                var sprints = sim.Store.Sprints.Where(s => s.IsOn(board.Id) && !s.Deleted && (states is null || states.Contains(s.State)))
                    .OrderBy(s => Array.IndexOf(order, s.State)).ThenBy(s => s.Id).ToList();
                EndpointHelpers.PageBean(w, ctx, "", page, sprints, r.Sprint, withSelf: false, withTotal: false);
            });
        });

        // getSprint: visible when the caller can see its origin board (or one of its issues); 404 otherwise or when deleted.
        app.MapGet(agile + "sprint/{sprintId}", (HttpContext ctx, string sprintId) =>
        {
            var sprint = sim.Store.Read(s => long.TryParse(sprintId, out var id) && s.FindSprint(id) is { Deleted: false } sp
                && s.Boards.First(b => b.Id == sp.BoardId) is { Project.Hidden: false, Private: false } ? sp : null);
            return sprint is null
                ? JsonOut.Error(ctx, 404, "Sprint does not exist or you do not have permission to view it.")   // wording Assumed
                : JsonOut.Send(ctx, sim.Store, w => r.Sprint(w, sprint));
        });
    }
}
