using JiraSync.Simulator.Control;
using JiraSync.Simulator.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace JiraSync.Simulator.Endpoints;

/// <summary>Registers every endpoint family, and Jersey's 404 body for unknown REST paths.</summary>
internal static class EndpointMap
{
    public static void MapAll(WebApplication app, SimContext sim)
    {
        InstanceEndpoints.Map(app, sim);
        MetadataEndpoints.Map(app, sim);
        ProjectEndpoints.Map(app, sim);
        SearchEndpoints.Map(app, sim);
        IssueChildEndpoints.Map(app, sim);
        WorklogFeedEndpoints.Map(app, sim);
        ChangelogBulkEndpoints.Map(app, sim);
        AgileEndpoints.Map(app, sim);
        ControlEndpoints.Map(app, sim);
        app.MapFallback(ctx => UnknownPath(ctx, sim));
    }

    /// <summary>Jersey's 404 for a REST path the server does not have; Cloud-only endpoints answer it on
    /// Server/DC too, as a real Server does for them.</summary>
    public static Task UnknownPath(HttpContext ctx, SimContext sim) => JsonOut.SendUnlocked(ctx, w =>
    {
        w.WriteStartObject();
        w.WriteString("message", $"null for uri: {sim.Render.BaseUrl.TrimEnd('/')}{ctx.Request.Path}{ctx.Request.QueryString}");
        w.WriteNumber("status-code", 404);
        w.WriteEndObject();
    }, StatusCodes.Status404NotFound);
}
