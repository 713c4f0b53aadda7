using JiraSync.Simulator.Http;
using JiraSync.Simulator.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace JiraSync.Simulator.Endpoints;

/// <summary>Jira Software agile API: board (startAt/maxResults/total/isLast/values, max 50) and
/// board/{id}/sprint (no total, as in go-jira's captured sprints.json; closed, active, future order;
/// `state` filter). A kanban board answers 400 for sprints.</summary>
internal static class AgileEndpoints
{
    public static void Map(IEndpointRouteBuilder app, SimContext sim)
    {
        const string agile = "/rest/agile/1.0/";
        var r = sim.Render;

        app.MapGet(agile + "board", ctx =>
        {
            var page = Page.From(ctx, 50, 50);
            string? projectFilter = ctx.Request.Query["projectKeyOrId"];
            return JsonOut.Send(ctx, sim.Store, w =>
            {
                var boards = sim.Store.Boards.Where(b => !b.Project.Hidden &&
                    (string.IsNullOrEmpty(projectFilter) || b.Project.Key == projectFilter || b.Project.Id.ToString() == projectFilter)).ToList();
                EndpointHelpers.PageBean(w, ctx, "", page, boards, r.Board, withSelf: false);
            });
        });

        app.MapGet(agile + "board/{boardId}/sprint", (HttpContext ctx, string boardId) =>
        {
            var board = sim.Store.Read(s => s.Boards.FirstOrDefault(b => b.Id.ToString() == boardId && !b.Project.Hidden));
            if (board is null) return JsonOut.Error(ctx, 404, $"Board does not exist or you do not have permission to see it.");
            if (board.Type != "scrum") return JsonOut.Error(ctx, 400, "The board does not support sprints");
            var page = Page.From(ctx, 50, 50);
            var states = ((string?)ctx.Request.Query["state"])?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            return JsonOut.Send(ctx, sim.Store, w =>
            {
                var order = new[] { "closed", "active", "future" };
                var sprints = sim.Store.Sprints.Where(s => s.BoardId == board.Id && (states is null || states.Contains(s.State)))
                    .OrderBy(s => Array.IndexOf(order, s.State)).ThenBy(s => s.Id).ToList();
                EndpointHelpers.PageBean(w, ctx, "", page, sprints, r.Sprint, withSelf: false, withTotal: false);
            });
        });
    }
}
