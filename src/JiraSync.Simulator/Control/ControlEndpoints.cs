using System.Text.Json;
using JiraSync.Simulator.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace JiraSync.Simulator.Control;

/// <summary>The control surface over HTTP, under /__sim/ (no auth, never faulted, not logged).
/// Every route calls the same SimulatorControl method a test would call in process.</summary>
internal static class ControlEndpoints
{
    public static void Map(IEndpointRouteBuilder app, SimContext sim)
    {
        var c = sim.Control;
        var g = app.MapGroup(SimMiddleware.ControlPrefix);

        g.MapPost("/issues/{idOrKey}/update", (HttpContext ctx, string idOrKey) => Ok(ctx, () => { c.UpdateIssue(idOrKey); return null; }));
        g.MapPost("/projects/{key}/issues", (HttpContext ctx, string key) => Ok(ctx, () => c.AddIssue(key)));
        g.MapDelete("/issues/{idOrKey}", (HttpContext ctx, string idOrKey) => Ok(ctx, () => { c.DeleteIssue(idOrKey); return null; }));
        g.MapPost("/issues/{idOrKey}/comments", (HttpContext ctx, string idOrKey) => Ok(ctx, () => c.AddComment(idOrKey)));
        g.MapPost("/comments/{id}/update", (HttpContext ctx, string id) => Ok(ctx, () => { c.UpdateComment(id); return null; }));
        g.MapDelete("/comments/{id}", (HttpContext ctx, string id) => Ok(ctx, () => { c.DeleteComment(id); return null; }));
        g.MapPost("/issues/{idOrKey}/worklogs", (HttpContext ctx, string idOrKey) => Ok(ctx, () => c.AddWorklog(idOrKey)));
        g.MapPost("/worklogs/{id}/update", (HttpContext ctx, string id) => Ok(ctx, () => { c.UpdateWorklog(id); return null; }));
        g.MapDelete("/worklogs/{id}", (HttpContext ctx, string id) => Ok(ctx, () => { c.DeleteWorklog(id); return null; }));
        g.MapPost("/fields", (HttpContext ctx) => Ok(ctx, () => c.AddCustomField(Required(ctx, "name"), Required(ctx, "type"))));
        g.MapPost("/links", (HttpContext ctx) => Ok(ctx, () => c.AddLink(Required(ctx, "from"), Required(ctx, "to"), ctx.Request.Query["type"].FirstOrDefault() ?? "Blocks")));
        g.MapDelete("/links/{id}", (HttpContext ctx, string id) => Ok(ctx, () => { c.RemoveLink(id); return null; }));
        g.MapPost("/issues/{idOrKey}/sprint", (HttpContext ctx, string idOrKey) => Ok(ctx, () => { c.MoveIssueToSprint(idOrKey, WholeNumber(ctx, "sprintId")); return null; }));
        g.MapPost("/issues/{idOrKey}/attachments", (HttpContext ctx, string idOrKey) =>
            Ok(ctx, () => c.AddAttachment(idOrKey, ctx.Request.Query["filename"].FirstOrDefault() ?? "notes.txt")));
        g.MapPost("/projects/{key}/boards", (HttpContext ctx, string key) =>
            Ok(ctx, () => c.AddBoard(key, ctx.Request.Query["type"].FirstOrDefault() ?? "scrum", ctx.Request.Query["name"].FirstOrDefault())));
        g.MapPost("/issues/{idOrKey}/sprints", (HttpContext ctx, string idOrKey) => Ok(ctx, () =>
        {
            var ids = Required(ctx, "ids").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(x => long.TryParse(x, out var n) ? n : throw new ArgumentException("ids must be comma-separated sprint ids")).ToArray();
            c.SetIssueSprints(idOrKey, ids);
            return null;
        }));
        g.MapPost("/projects/{key}/known-issues", (HttpContext ctx, string key) => Ok(ctx, () => c.AddIssueWithKnownHistory(key, ctx.Request.Query["status"].FirstOrDefault() ?? "To Do")));
        g.MapPost("/issues/{idOrKey}/transition", (HttpContext ctx, string idOrKey) => Ok(ctx, () => { c.TransitionIssue(idOrKey, Required(ctx, "status")); return null; }));
        g.MapPost("/issues/{idOrKey}/move", (HttpContext ctx, string idOrKey) => Ok(ctx, () => c.MoveIssue(idOrKey, Required(ctx, "project")), "key"));
        g.MapPost("/issues/{idOrKey}/number", (HttpContext ctx, string idOrKey) => Ok(ctx, () =>
        {
            var raw = ctx.Request.Query["value"].FirstOrDefault();
            double? value = string.IsNullOrEmpty(raw) ? null
                : double.TryParse(raw, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v
                : throw new ArgumentException("query parameter 'value' must be a number (or empty to clear)");
            c.SetNumberField(idOrKey, Required(ctx, "field"), value);
            return null;
        }));
        g.MapPost("/fields/{id}/rename", (HttpContext ctx, string id) => Ok(ctx, () => { c.RenameCustomField(id, Required(ctx, "name")); return null; }));
        g.MapDelete("/sprints/{id}", (HttpContext ctx, string id) =>
            Ok(ctx, () => { c.DeleteSprint(long.TryParse(id, out var n) ? n : throw new ArgumentException("sprint id must be a whole number")); return null; }));

        g.MapGet("/clock", (HttpContext ctx) => Ok(ctx, () => c.Now.ToString("O"), "now"));
        g.MapPost("/clock/advance", (HttpContext ctx) => Ok(ctx, () =>
            c.AdvanceClock(TimeSpan.FromSeconds(Number(ctx, "seconds"))).ToString("O"), "now"));
        g.MapPost("/projects/{key}/browse", (HttpContext ctx, string key) => Ok(ctx, () => { c.SetBrowsePermission(key, Required(ctx, "granted") == "true"); return null; }));
        g.MapPost("/projects/{key}/status", (HttpContext ctx, string key) => Ok(ctx, () => { c.SetProjectStatus(key, Required(ctx, "value")); return null; }));
        g.MapPost("/search-lag", (HttpContext ctx) => Ok(ctx, () => { c.SearchLag = TimeSpan.FromSeconds(Number(ctx, "seconds")); return null; }));
        g.MapPost("/latency", (HttpContext ctx) => Ok(ctx, () =>
        {
            c.LatencyMs = WholeNumber(ctx, "ms");
            if (ctx.Request.Query.ContainsKey("perKiB")) c.LatencyPerKiBMs = Math.Max(0, Number(ctx, "perKiB"));
            return null;
        }));

        g.MapPost("/faults/429", (HttpContext ctx) => Ok(ctx, () => { c.Faults.Next429(Int(ctx, "count", 1), Int(ctx, "retryAfter", 1), ctx.Request.Query["path"]); return null; }));
        g.MapPost("/faults/503", (HttpContext ctx) => Ok(ctx, () => { c.Faults.Next503(Int(ctx, "count", 1), Int(ctx, "retryAfter", 0), ctx.Request.Query["path"]); return null; }));
        g.MapPost("/faults/500", (HttpContext ctx) => Ok(ctx, () => { c.Faults.Next500(Int(ctx, "count", 1), ctx.Request.Query["path"]); return null; }));
        g.MapPost("/faults/drop", (HttpContext ctx) => Ok(ctx, () => { c.Faults.NextDropped(Int(ctx, "count", 1), ctx.Request.Query["path"]); return null; }));
        g.MapPost("/faults/malformed", (HttpContext ctx) => Ok(ctx, () =>
        {
            var kind = string.Equals(ctx.Request.Query["kind"], "html", StringComparison.OrdinalIgnoreCase) ? MalformedKind.HtmlPage : MalformedKind.TruncatedJson;
            c.Faults.NextMalformed(Required(ctx, "path"), kind, Int(ctx, "count", 1));
            return null;
        }));
        g.MapDelete("/faults", (HttpContext ctx) => Ok(ctx, () => { c.Faults.Clear(); return null; }));

        g.MapGet("/expected-keys", (HttpContext ctx) => Keys(ctx, c.ExpectedKeys(
            string.Equals(ctx.Request.Query["streams"], "all", StringComparison.OrdinalIgnoreCase) ? ExpectedStreams.All : ExpectedStreams.TapJira)));
        g.MapGet("/expected-deleted-keys", (HttpContext ctx) => Keys(ctx, c.ExpectedDeletedKeys()));
        g.MapGet("/requests", (HttpContext ctx) => JsonOut.SendUnlocked(ctx, w =>
        {
            w.WriteStartObject();
            w.WriteNumber("count", c.RequestCount);
            w.WriteStartArray("requests");
            foreach (var r in c.Requests.Entries)
            {
                w.WriteStartObject();
                w.WriteString("method", r.Method);
                w.WriteString("pathAndQuery", r.PathAndQuery);
                w.WriteNumber("status", r.Status);
                w.WriteString("at", r.At.ToString("O"));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }));
        g.MapDelete("/requests", (HttpContext ctx) => Ok(ctx, () => { c.Requests.Clear(); return null; }));
    }

    private static string Required(HttpContext ctx, string name) =>
        ctx.Request.Query[name].FirstOrDefault() is { Length: > 0 } v ? v : throw new ArgumentException($"query parameter '{name}' is required");

    /// <summary>A required numeric parameter; bad text is a 400 naming it (ErrorMapping), not an unhandled 500.</summary>
    private static double Number(HttpContext ctx, string name) =>
        double.TryParse(Required(ctx, name), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)
            ? v : throw new ArgumentException($"query parameter '{name}' must be a number");

    private static int WholeNumber(HttpContext ctx, string name) =>
        int.TryParse(Required(ctx, name), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var v)
            ? v : throw new ArgumentException($"query parameter '{name}' must be a whole number");

    private static int Int(HttpContext ctx, string name, int fallback) =>
        int.TryParse(ctx.Request.Query[name], out var v) ? v : fallback;

    /// <summary>Runs a control action; answers {"ok":true} or {"ok":true,"id":...}. Errors map to 400/404 in ErrorMapping.</summary>
    private static Task Ok(HttpContext ctx, Func<string?> action, string key = "id")
    {
        var result = action();
        return JsonOut.SendUnlocked(ctx, w =>
        {
            w.WriteStartObject();
            w.WriteBoolean("ok", true);
            if (result is not null) w.WriteString(key, result);
            w.WriteEndObject();
        });
    }

    private static Task Keys(HttpContext ctx, IReadOnlyDictionary<string, IReadOnlySet<string>> keys) => JsonOut.SendUnlocked(ctx, w =>
    {
        w.WriteStartObject();
        foreach (var (stream, set) in keys.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            w.WriteStartArray(stream);
            foreach (var k in set.Order(StringComparer.Ordinal)) w.WriteStringValue(k);
            w.WriteEndArray();
        }
        w.WriteEndObject();
    });
}
