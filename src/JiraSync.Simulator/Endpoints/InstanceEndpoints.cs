using JiraSync.Simulator.Http;
using JiraSync.Simulator.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace JiraSync.Simulator.Endpoints;

/// <summary>serverInfo, myself, users/search, group/member and the instance-wide reference lists
/// (status, statuscategory, priority, issuetype, resolution, role, project/type, projectCategory, field).</summary>
internal static class InstanceEndpoints
{
    public static void Map(IEndpointRouteBuilder app, SimContext sim)
    {
        const string api = "/rest/api/2/";
        var r = sim.Render;
        app.MapGet(api + "serverInfo", ctx => JsonOut.Send(ctx, sim.Store, r.ServerInfo));
        app.MapGet(api + "myself", ctx =>
        {
            if (sim.Cloud) ctx.Response.Headers["X-AAccountId"] = sim.Store.Me.AccountId;
            return JsonOut.Send(ctx, sim.Store, r.Myself);
        });

        app.MapGet(api + "status", ctx => JsonOut.Send(ctx, sim.Store, w => EndpointHelpers.Array(w, ReferenceData.Statuses, r.Status)));
        app.MapGet(api + "statuscategory", ctx => JsonOut.Send(ctx, sim.Store, w => EndpointHelpers.Array(w, ReferenceData.StatusCategories, r.StatusCategory)));
        app.MapGet(api + "priority", ctx => JsonOut.Send(ctx, sim.Store, w => EndpointHelpers.Array(w, ReferenceData.Priorities, r.Priority)));
        app.MapGet(api + "issuetype", ctx => JsonOut.Send(ctx, sim.Store, w => EndpointHelpers.Array(w, ReferenceData.IssueTypes, r.IssueType)));
        app.MapGet(api + "resolution", ctx => JsonOut.Send(ctx, sim.Store, w => EndpointHelpers.Array(w, ReferenceData.Resolutions, r.Resolution)));
        app.MapGet(api + "resolution/search", ctx =>
        {
            var page = Page.From(ctx, 50, 50);
            return JsonOut.Send(ctx, sim.Store, w => EndpointHelpers.PageBean(w, ctx, r.Api + "resolution/search", page, ReferenceData.Resolutions,
                (w2, x) => r.Resolution(w2, x, withDefault: true)));
        });
        app.MapGet(api + "role", ctx => !sim.Options.AdminPermissions ? Forbidden(ctx)
            : JsonOut.Send(ctx, sim.Store, w => EndpointHelpers.Array(w, ReferenceData.Roles, r.Role)));
        app.MapGet(api + "project/type", ctx => JsonOut.Send(ctx, sim.Store, w => EndpointHelpers.Array(w, ReferenceData.ProjectTypes, r.ProjectType)));
        app.MapGet(api + "projectCategory", ctx => JsonOut.Send(ctx, sim.Store, w => EndpointHelpers.Array(w, ReferenceData.ProjectCategories, r.ProjectCategory)));
        app.MapGet(api + "field", ctx => JsonOut.Send(ctx, sim.Store, w =>
        {
            w.WriteStartArray();
            foreach (var f in SystemFields.All) r.Field(w, f);
            foreach (var f in sim.Store.CustomFields) r.Field(w, f);
            w.WriteEndArray();
        }));

        // Cloud users/search: a plain array (no envelope), maxResults default 50, capped at 1000; includes
        // inactive users (OpenAPI getAllUsers). Server has no users/search (404 via the fallback).
        app.MapGet(api + "users/search", ctx =>
        {
            if (!sim.Cloud) return EndpointMap.UnknownPath(ctx, sim);
            var page = Page.From(ctx, 50, 1000);
            return JsonOut.Send(ctx, sim.Store, w => EndpointHelpers.Array(w, page.Slice(sim.Store.Users), (w2, u) => r.User(w2, u)));
        });
        app.MapGet(api + "users", ctx =>
        {
            if (!sim.Cloud) return EndpointMap.UnknownPath(ctx, sim);
            var page = Page.From(ctx, 50, 1000);
            return JsonOut.Send(ctx, sim.Store, w => EndpointHelpers.Array(w, page.Slice(sim.Store.Users), (w2, u) => r.User(w2, u)));
        });
        // Server/DC user search: username=. (or any text) matches all; active users only unless includeInactive.
        app.MapGet(api + "user/search", ctx =>
        {
            var q = ctx.Request.Query;
            var text = (string?)q["username"] ?? q["query"];
            if (string.IsNullOrEmpty(text)) return JsonOut.Error(ctx, 400, "The username query parameter was not provided");
            var inactive = string.Equals(q["includeInactive"], "true", StringComparison.OrdinalIgnoreCase);
            var page = Page.From(ctx, 50, 1000);
            var users = sim.Store.Users.Where(u => (inactive || u.Active) &&
                (text == "." || text == "%" || u.Name.Contains(text, StringComparison.OrdinalIgnoreCase) || u.DisplayName.Contains(text, StringComparison.OrdinalIgnoreCase)));
            return JsonOut.Send(ctx, sim.Store, w => EndpointHelpers.Array(w, page.Slice(users), (w2, u) => r.User(w2, u)));
        });

        // group/member: PageBean, maxResults capped at 50, inactive users only with includeInactiveUsers=true.
        app.MapGet(api + "group/member", ctx =>
        {
            if (!sim.Options.AdminPermissions) return Forbidden(ctx);
            var q = ctx.Request.Query;
            string? group = q["groupname"];
            if (string.IsNullOrEmpty(group)) group = q["groupId"];
            if (string.IsNullOrEmpty(group)) return JsonOut.Error(ctx, 400, "You must specify a group name or a group ID.");
            // Cloud takes a group id or name; DC knows names only (jira-api-notes §14.1).
            var name = sim.Cloud ? ReferenceData.GroupName(group) : ReferenceData.Groups.Contains(group) ? group : null;
            if (name is null) return JsonOut.Error(ctx, 404, $"Group '{group}' does not exist.");
            group = name;
            var inactive = string.Equals(q["includeInactiveUsers"], "true", StringComparison.OrdinalIgnoreCase);
            var page = Page.From(ctx, 50, 50);
            return JsonOut.Send(ctx, sim.Store, w =>
            {
                var members = sim.Store.Users.Where(u => (inactive || u.Active) && ReferenceData.InGroup(group, u))
                    .OrderBy(u => u.Name, StringComparer.Ordinal).ToList();
                EndpointHelpers.PageBean(w, ctx, $"{r.Api}group/member?groupname={Uri.EscapeDataString(group)}&includeInactiveUsers={inactive.ToString().ToLowerInvariant()}", page, members, (w2, u) => r.User(w2, u));
            });
        });
    }

    // The body Jira sends for a missing permission (node-jira-client#337, jira-api-notes §9).
    private static Task Forbidden(Microsoft.AspNetCore.Http.HttpContext ctx) =>
        JsonOut.Error(ctx, 403, "You currently don't have access to perform this operation.");

}
