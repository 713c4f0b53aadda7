using JiraSync.Simulator.Http;
using JiraSync.Simulator.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace JiraSync.Simulator.Endpoints;

/// <summary>project/search (PageBean, max 100), project (plain array), project/{id}, and per project the
/// paginated version/component endpoints plus their plain-array siblings versions/components.
/// The hidden project answers 404 "No project could be found with key 'X'." like a project without Browse permission.</summary>
internal static class ProjectEndpoints
{
    public static void Map(IEndpointRouteBuilder app, SimContext sim)
    {
        const string api = "/rest/api/2/";
        var r = sim.Render;

        // Cloud only; Server/DC lists projects with GET project.
        app.MapGet(api + "project/search", ctx =>
        {
            if (!sim.Cloud) return EndpointMap.UnknownPath(ctx, sim);
            var page = Page.From(ctx, 50, 100);
            return JsonOut.Send(ctx, sim.Store, w =>
            {
                var statuses = Statuses(ctx);
                var projects = sim.Store.Projects.Where(p => !p.NoBrowse && statuses.Contains(p.Status))
                    .OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
                EndpointHelpers.PageBean(w, ctx, r.Api + "project/search", page, projects, r.Project);
            });
        });
        // Server/DC: includeArchived=true adds archived projects (jira.js server getAllProjects); trashed ones are Cloud only.
        app.MapGet(api + "project", ctx => JsonOut.Send(ctx, sim.Store,
            w => EndpointHelpers.Array(w, sim.Store.Projects
                .Where(p => !p.NoBrowse && (p.Status == ProjectStatus.Live || (p.Status == ProjectStatus.Archived && ctx.Request.Query["includeArchived"] == "true")))
                .OrderBy(p => p.Key, StringComparer.Ordinal), r.Project)));
        app.MapGet(api + "project/{idOrKey}", (HttpContext ctx, string idOrKey) =>
            WithProject(ctx, sim, idOrKey, p => JsonOut.Send(ctx, sim.Store, w => r.Project(w, p))));

        app.MapGet(api + "project/{idOrKey}/version", (HttpContext ctx, string idOrKey) => WithProject(ctx, sim, idOrKey, p =>
        {
            var page = Page.From(ctx, 50, 50);
            return JsonOut.Send(ctx, sim.Store, w => EndpointHelpers.PageBean(w, ctx, $"{r.Api}project/{idOrKey}/version", page, p.Versions, r.Version));
        }));
        app.MapGet(api + "project/{idOrKey}/versions", (HttpContext ctx, string idOrKey) => WithProject(ctx, sim, idOrKey, p =>
            JsonOut.Send(ctx, sim.Store, w => EndpointHelpers.Array(w, p.Versions, r.Version))));

        app.MapGet(api + "project/{idOrKey}/component", (HttpContext ctx, string idOrKey) => WithProject(ctx, sim, idOrKey, p =>
        {
            var page = Page.From(ctx, 50, 50);
            return JsonOut.Send(ctx, sim.Store, w => EndpointHelpers.PageBean(w, ctx, $"{r.Api}project/{idOrKey}/component", page, p.Components,
                (w2, c) => r.Component(w2, c, p, IssueCount(sim.Store, c))));
        }));
        app.MapGet(api + "project/{idOrKey}/components", (HttpContext ctx, string idOrKey) => WithProject(ctx, sim, idOrKey, p =>
            JsonOut.Send(ctx, sim.Store, w => EndpointHelpers.Array(w, p.Components, (w2, c) => r.Component(w2, c, p, IssueCount(sim.Store, c))))));
    }

    /// <summary>project/search's `status`: live, archived, deleted (the recycle bin), repeated or comma-separated;
    /// default live (OpenAPI `searchProjects`; jira-api-notes.md §14.4).</summary>
    private static HashSet<string> Statuses(HttpContext ctx)
    {
        var given = ctx.Request.Query["status"].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToHashSet(StringComparer.Ordinal);
        return given.Count == 0 ? [ProjectStatus.Live] : given;
    }

    private static int IssueCount(SimulatorStore store, SimComponent c) => store.Issues.Count(i => !i.Deleted && i.ComponentId == c.Id);

    private static Task WithProject(HttpContext ctx, SimContext sim, string idOrKey, Func<SimProject, Task> then)
    {
        var project = sim.Store.Read(s => s.FindProject(idOrKey));
        return project is null
            ? JsonOut.Error(ctx, 404, $"No project could be found with key '{idOrKey}'.")
            : then(project);
    }
}
