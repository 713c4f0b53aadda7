using JiraSync.Simulator.Http;
using JiraSync.Simulator.Model;
using JiraSync.Simulator.Rendering;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace JiraSync.Simulator.Endpoints;

/// <summary>Site metadata beyond tap-jira's: statuses/search, priority/search, issueLinkType, label, filters,
/// groups and custom field contexts/options. Paths marked Cloud only answer Jersey's 404 on Server/DC, whose
/// REST module list has none of them (jira-api-notes §14.1). Caps not given by the spec are Assumed.</summary>
internal static class MetadataEndpoints
{
    public static void Map(IEndpointRouteBuilder app, SimContext sim)
    {
        const string api = "/rest/api/2/";
        var r = sim.Render;

        // OpenAPI `search` (statuses): PageOfStatuses, maxResults default 200; statusCategory=TODO|IN_PROGRESS|DONE, searchString.
        app.MapGet(api + "statuses/search", ctx =>
        {
            if (!sim.Cloud) return EndpointMap.UnknownPath(ctx, sim);
            var page = Page.From(ctx, 200, 200);
            string? category = ctx.Request.Query["statusCategory"];
            string? text = ctx.Request.Query["searchString"];
            var statuses = ReferenceData.Statuses.Where(s =>
                (string.IsNullOrEmpty(category) || Renderer.StatusSearchCategory(s.Category) == category) &&
                (string.IsNullOrEmpty(text) || s.Name.Contains(text, StringComparison.OrdinalIgnoreCase))).ToList();
            return JsonOut.Send(ctx, sim.Store, w => EndpointHelpers.PageBean(w, ctx, r.Api + "statuses/search", page, statuses, r.JiraStatus));
        });

        // OpenAPI searchPriorities: PageBean, default 50 (cap Assumed 50); DC has only GET priority.
        app.MapGet(api + "priority/search", ctx =>
        {
            if (!sim.Cloud) return EndpointMap.UnknownPath(ctx, sim);
            var page = Page.From(ctx, 50, 50);
            var onlyDefault = string.Equals(ctx.Request.Query["onlyDefault"], "true", StringComparison.OrdinalIgnoreCase);
            var priorities = ReferenceData.Priorities.Where(p => !onlyDefault || p.Id == "3").ToList();
            return JsonOut.Send(ctx, sim.Store, w => EndpointHelpers.PageBean(w, ctx, r.Api + "priority/search", page, priorities, r.PriorityWithDefault));
        });

        // OpenAPI getIssueLinkTypes: {"issueLinkTypes":[...]}, not paged; same on DC.
        app.MapGet(api + "issueLinkType", ctx => JsonOut.Send(ctx, sim.Store, w =>
        {
            w.WriteStartObject();
            w.WritePropertyName("issueLinkTypes");
            EndpointHelpers.Array(w, ReferenceData.IssueLinkTypes, r.IssueLinkType);
            w.WriteEndObject();
        }));

        // OpenAPI getAllLabels: PageBean of strings, default 1000 (cap Assumed 1000), alphabetical (Assumed). Cloud only.
        app.MapGet(api + "label", ctx =>
        {
            if (!sim.Cloud) return EndpointMap.UnknownPath(ctx, sim);
            var page = Page.From(ctx, 1000, 1000);
            var labels = ReferenceData.Labels.Order(StringComparer.Ordinal).ToList();
            return JsonOut.Send(ctx, sim.Store, w => EndpointHelpers.PageBean(w, ctx, r.Api + "label", page, labels, (w2, l) => w2.WriteStringValue(l)));
        });

        // OpenAPI getFiltersPaginated: only filters the caller may see; without expand an item is {expand, self, id, name}.
        // Cloud only (a paged filter search on DC was not confirmed); DC clients use filter/my and filter/favourite.
        app.MapGet(api + "filter/search", ctx =>
        {
            if (!sim.Cloud) return EndpointMap.UnknownPath(ctx, sim);
            var expand = ((string?)ctx.Request.Query["expand"] ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet();
            if (expand.FirstOrDefault(e => !Renderer.FilterExpands.Contains(e)) is { } bad)
                return JsonOut.Error(ctx, 400, $"The expand value '{bad}' is not valid.");   // wording Assumed; the spec only says 400
            var page = Page.From(ctx, 50, 100);
            var ids = ctx.Request.Query["id"].Where(v => !string.IsNullOrEmpty(v)).ToHashSet();
            string? name = ctx.Request.Query["filterName"];
            return JsonOut.Send(ctx, sim.Store, w =>
            {
                var filters = sim.Store.Filters.Where(f => sim.Store.CanSee(f) && (ids.Count == 0 || ids.Contains(f.Id.ToString())) &&
                        (string.IsNullOrEmpty(name) || f.Name.Contains(name, StringComparison.OrdinalIgnoreCase)))
                    .OrderBy(f => f.Name, StringComparer.OrdinalIgnoreCase).ToList();
                var self = $"{r.Api}filter/search?expand={Uri.EscapeDataString(string.Join(',', expand))}";
                EndpointHelpers.PageBean(w, ctx, self, page, filters, (w2, f) => r.Filter(w2, f, expand));
            });
        });
        // Plain arrays with every property, on Cloud and DC: the caller's own filters, and its favourites it may still see.
        app.MapGet(api + "filter/my", ctx => JsonOut.Send(ctx, sim.Store, w =>
            EndpointHelpers.Array(w, sim.Store.Filters.Where(f => f.OwnerIndex == 0), (w2, f) => r.Filter(w2, f, null))));
        app.MapGet(api + "filter/favourite", ctx => JsonOut.Send(ctx, sim.Store, w =>
            EndpointHelpers.Array(w, sim.Store.Filters.Where(f => f.Favourite && sim.Store.CanSee(f)), (w2, f) => r.Filter(w2, f, null))));

        // OpenAPI bulkGetGroups: PageBean of {groupId, name}, default 50 (cap Assumed 50); 403 without Browse users and groups.
        app.MapGet(api + "group/bulk", ctx =>
        {
            if (!sim.Cloud) return EndpointMap.UnknownPath(ctx, sim);
            if (!sim.Options.AdminPermissions) return JsonOut.Error(ctx, 403, "Browse users and groups permission is required to view groups.");
            var page = Page.From(ctx, 50, 50);
            var ids = ctx.Request.Query["groupId"].Where(v => !string.IsNullOrEmpty(v)).ToHashSet();
            var names = ctx.Request.Query["groupName"].Where(v => !string.IsNullOrEmpty(v)).ToHashSet();
            var groups = Enumerable.Range(0, ReferenceData.Groups.Length)
                .Where(i => (ids.Count == 0 || ids.Contains(ReferenceData.GroupIds[i])) && (names.Count == 0 || names.Contains(ReferenceData.Groups[i])))
                .ToList();
            return JsonOut.Send(ctx, sim.Store, w => EndpointHelpers.PageBean(w, ctx, r.Api + "group/bulk", page, groups, (w2, i) => Renderer.GroupDetails(w2, i)));
        });

        // groups/picker (Cloud and DC): {header, total, groups[{name, html, labels, groupId (Cloud)}]}, maxResults default 20;
        // DC caps it at jira.ajax.autocomplete.limit (default 20, Assumed) — the only group list DC offers.
        app.MapGet(api + "groups/picker", ctx =>
        {
            var q = ((string?)ctx.Request.Query["query"]) ?? "";
            var max = int.TryParse(ctx.Request.Query["maxResults"], out var m) && m >= 0 ? m : 20;
            if (!sim.Cloud) max = Math.Min(max, 20);
            var matching = Enumerable.Range(0, ReferenceData.Groups.Length).Where(i => ReferenceData.Groups[i].Contains(q, StringComparison.OrdinalIgnoreCase)).ToList();
            var shown = matching.Take(max).ToList();
            return JsonOut.Send(ctx, sim.Store, w =>
            {
                w.WriteStartObject();
                w.WriteString("header", $"Showing {shown.Count} of {matching.Count} matching groups");
                w.WriteNumber("total", matching.Count);
                w.WriteStartArray("groups");
                foreach (var i in shown)
                {
                    w.WriteStartObject();
                    w.WriteString("name", ReferenceData.Groups[i]);
                    w.WriteString("html", ReferenceData.Groups[i]);
                    w.WriteStartArray("labels"); w.WriteEndArray();
                    if (sim.Cloud) w.WriteString("groupId", ReferenceData.GroupIds[i]);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            });
        });

        // OpenAPI getContextsForField / getOptionsForContext. Cloud only (DC's customFields/{id}/options shape is unconfirmed).
        app.MapGet(api + "field/{fieldId}/context", (HttpContext ctx, string fieldId) =>
        {
            if (!sim.Cloud) return EndpointMap.UnknownPath(ctx, sim);
            if (!sim.Options.AdminPermissions) return JsonOut.Error(ctx, 403, "Only Jira administrators can access custom field contexts.");
            var field = sim.Store.Read(s => s.CustomFields.FirstOrDefault(f => f.Id == fieldId));
            if (field is null) return JsonOut.Error(ctx, 404, "The custom field was not found.");
            var page = Page.From(ctx, 50, 50);
            return JsonOut.Send(ctx, sim.Store, w => EndpointHelpers.PageBean(w, ctx, $"{r.Api}field/{fieldId}/context", page, [field], (w2, f) => Renderer.FieldContext(w2, f)));
        });
        app.MapGet(api + "field/{fieldId}/context/{contextId}/option", (HttpContext ctx, string fieldId, string contextId) =>
        {
            if (!sim.Cloud) return EndpointMap.UnknownPath(ctx, sim);
            if (!sim.Options.AdminPermissions) return JsonOut.Error(ctx, 403, "Only Jira administrators can manage custom field options.");
            var field = sim.Store.Read(s => s.CustomFields.FirstOrDefault(f => f.Id == fieldId));
            if (field is null || field.ContextId.ToString() != contextId) return JsonOut.Error(ctx, 404, "The custom field was not found.");
            if (!field.HasOptions) return JsonOut.Error(ctx, 400, "The custom field doesn't support options.");
            var page = Page.From(ctx, 100, 100);
            var onlyOptions = string.Equals(ctx.Request.Query["onlyOptions"], "true", StringComparison.OrdinalIgnoreCase);
            var options = field.Options().Where(o => !onlyOptions || o.ParentId is null).ToList();
            return JsonOut.Send(ctx, sim.Store, w => EndpointHelpers.PageBean(w, ctx, $"{r.Api}field/{fieldId}/context/{contextId}/option", page, options,
                (w2, o) => Renderer.FieldContextOption(w2, o)));
        });
    }
}
