using System.Text;
using System.Text.Json;
using JiraSync.Simulator.Http;
using JiraSync.Simulator.Jql;
using JiraSync.Simulator.Model;
using JiraSync.Simulator.Rendering;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace JiraSync.Simulator.Endpoints;

/// <summary>Issue search and retrieval: enhanced `search/jql` (Cloud), legacy `search` (410 on Cloud,
/// startAt/total on Server), `issue/bulkfetch` and `issue/{idOrKey}`.</summary>
internal static class SearchEndpoints
{
    private const string RemovedMessage = "The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046";

    private sealed record SearchRequest(string? Jql, string? NextPageToken, int? StartAt, int? MaxResults, IEnumerable<string?> Fields, IEnumerable<string?> Expand)
    {
        /// <summary>Legacy search's validateQuery (strict by default; warn/none/false drop unknown issue keys instead of failing).</summary>
        public string? ValidateQuery { get; init; }
    }

    public static void Map(IEndpointRouteBuilder app, SimContext sim)
    {
        const string api = "/rest/api/2/";
        var search = new IssueSearch(sim.Store);

        app.MapGet(api + "search/jql", ctx => Enhanced(ctx, sim, search, FromQuery(ctx)));
        app.MapPost(api + "search/jql", async ctx =>
        {
            var req = await FromBody(ctx);
            if (req is null) { await JsonOut.Error(ctx, 400, "Invalid request payload. Refer to the REST API documentation and try again."); return; }
            await Enhanced(ctx, sim, search, req);
        });
        app.MapGet(api + "search", ctx => Legacy(ctx, sim, search, FromQuery(ctx)));
        app.MapPost(api + "search", async ctx =>
        {
            if (sim.Cloud) { await JsonOut.Error(ctx, 410, RemovedMessage); return; }
            var req = await FromBody(ctx);
            if (req is null) { await JsonOut.Error(ctx, 400, "Invalid request payload. Refer to the REST API documentation and try again."); return; }
            await Legacy(ctx, sim, search, req);
        });
        app.MapPost(api + "issue/bulkfetch", ctx => BulkFetch(ctx, sim));
        // POST search/approximate-count {"jql"} → {"count":N}; bounded JQL only (Cloud).
        app.MapPost(api + "search/approximate-count", async ctx =>
        {
            if (!sim.Cloud) { await EndpointMap.UnknownPath(ctx, sim); return; }
            var req = await FromBody(ctx);
            if (req is null || string.IsNullOrWhiteSpace(req.Jql))
            { await JsonOut.Error(ctx, 400, "Unbounded JQL queries are not allowed here. Please add a search restriction to your query."); return; }
            await JsonOut.Send(ctx, sim.Store, w =>
            {
                var count = search.Run(req.Jql, requireBounded: true).Length;
                w.WriteStartObject();
                w.WriteNumber("count", count);
                w.WriteEndObject();
            });
        });
        app.MapGet(api + "issue/{idOrKey}", (HttpContext ctx, string idOrKey) =>
        {
            var q = ctx.Request.Query;
            var fields = FieldSelection.Parse(q["fields"], "*all");
            var expand = IssueExpand.Parse(q["expand"], historyCap: 100, commentCap: 5000, worklogCap: 20);
            return JsonOut.Send(ctx, sim.Store, w =>
            {
                var issue = sim.Store.FindVisibleIssue(idOrKey) ?? throw new IssueNotFound();
                sim.Render.Issue(w, issue, fields, expand);
            });
        });
    }

    private static SearchRequest FromQuery(HttpContext ctx)
    {
        var q = ctx.Request.Query;
        return new SearchRequest(q["jql"], q["nextPageToken"], int.TryParse(q["startAt"], out var s) ? s : null,
            int.TryParse(q["maxResults"], out var m) ? m : null, q["fields"], q["expand"]) { ValidateQuery = q["validateQuery"] };
    }

    private static async Task<SearchRequest?> FromBody(HttpContext ctx)
    {
        if (await EndpointHelpers.ReadBody(ctx) is not { ValueKind: JsonValueKind.Object } body) return null;
        return new SearchRequest(EndpointHelpers.StringOf(body, "jql"), EndpointHelpers.StringOf(body, "nextPageToken"),
            EndpointHelpers.IntOf(body, "startAt"), EndpointHelpers.IntOf(body, "maxResults"),
            EndpointHelpers.StringsOf(body, "fields"), EndpointHelpers.StringsOf(body, "expand"))
        {
            ValidateQuery = body.TryGetProperty("validateQuery", out var v) ? (v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText()) : null,
        };
    }

    /// <summary>Enhanced search: default fields=id, maxResults default 50 (5000 for id-only, else 100),
    /// no total/startAt, nextPageToken absent on the last page, embedded caps 40/20/20.</summary>
    private static Task Enhanced(HttpContext ctx, SimContext sim, IssueSearch search, SearchRequest req)
    {
        if (!sim.Cloud) return EndpointMap.UnknownPath(ctx, sim);
        if (string.IsNullOrWhiteSpace(req.Jql))
            return JsonOut.Error(ctx, 400, "Unbounded JQL queries are not allowed here. Please add a search restriction to your query.");
        var fields = FieldSelection.Parse(req.Fields, "id");
        var expand = IssueExpand.Parse(req.Expand, historyCap: 40) with { NamesInIssue = false };
        var idOnly = fields.IdOnly && !expand.Changelog && !expand.RenderedFields && !expand.Transitions;
        var max = Math.Min(req.MaxResults is { } m && m > 0 ? m : 50, idOnly ? 5000 : 100);
        var hash = IssueSearch.Hash(req.Jql);
        var offset = 0;
        if (!string.IsNullOrEmpty(req.NextPageToken) && !TryReadToken(req.NextPageToken, hash, out offset))
            return JsonOut.Error(ctx, 400, "The provided next page token is invalid or expired.");
        return Guard(ctx, () => JsonOut.Send(ctx, sim.Store, w =>
        {
            var all = search.Run(req.Jql, requireBounded: true);
            var end = Math.Min(all.Length, offset + max);
            w.WriteStartObject();
            w.WriteStartArray("issues");
            for (var k = offset; k < end; k++) sim.Render.Issue(w, all[k], fields, expand);
            w.WriteEndArray();
            if (end < all.Length) w.WriteString("nextPageToken", MakeToken(end, hash));
            w.WriteBoolean("isLast", end >= all.Length);
            if (expand.Names) sim.Render.Names(w, fields);
            w.WriteEndObject();
        }));
    }

    /// <summary>Legacy search: gone (410) on Cloud; on Server startAt/maxResults (cap 1000, the DC default
    /// jira.search.views.default.max)/total, fields default *navigable, changelog embeds 100 histories.</summary>
    private static Task Legacy(HttpContext ctx, SimContext sim, IssueSearch search, SearchRequest req)
    {
        if (sim.Cloud) return JsonOut.Error(ctx, 410, RemovedMessage);
        var fields = FieldSelection.Parse(req.Fields, "*navigable");
        var expand = IssueExpand.Parse(req.Expand, historyCap: 100, commentCap: 5000, worklogCap: 20) with { NamesInIssue = false };
        var page = Page.From(req.StartAt, req.MaxResults, 50, 1000);
        var requested = (long)page.StartAt + page.MaxResults;
        if (requested > sim.Options.SearchWindow)
            // Data Center's message (Atlassian KB "Handling JQL REST API searching exceeding max_result_window in Jira").
            return JsonOut.Error(ctx, 500, $"Search limit exceeded. We couldn't complete your search because it requests {requested:N0} results " +
                                           $"which exceeded the search platform limit of {sim.Options.SearchWindow:N0}. Try refining your search criteria.");
        return Guard(ctx, () => JsonOut.Send(ctx, sim.Store, w =>
        {
            var strict = req.ValidateQuery is null || req.ValidateQuery.Equals("strict", StringComparison.OrdinalIgnoreCase) || req.ValidateQuery == "true";
            var all = search.Run(req.Jql, requireBounded: false, strictIssueKeys: strict);
            w.WriteStartObject();
            w.WriteString("expand", "schema,names");
            w.WriteNumber("startAt", page.StartAt);
            w.WriteNumber("maxResults", page.MaxResults);
            w.WriteNumber("total", all.Length);
            w.WriteStartArray("issues");
            foreach (var issue in page.Slice(all)) sim.Render.Issue(w, issue, fields, expand);
            w.WriteEndArray();
            if (expand.Names) sim.Render.Names(w, fields);
            w.WriteEndObject();
        }));
    }

    /// <summary>POST issue/bulkfetch: at most 100 ids/keys, ascending id order, unknown ones in issueErrors.</summary>
    private static async Task BulkFetch(HttpContext ctx, SimContext sim)
    {
        if (await EndpointHelpers.ReadBulkRequest(ctx, sim, max: 100) is not { } request) return;
        var (body, wanted) = request;
        var fields = FieldSelection.Parse(EndpointHelpers.StringsOf(body, "fields"), "*navigable");
        var expand = IssueExpand.Parse(EndpointHelpers.StringsOf(body, "expand"), historyCap: 40);
        await JsonOut.Send(ctx, sim.Store, w =>
        {
            var found = new List<SimIssue>();
            var missing = new List<string>();
            foreach (var k in wanted)
                if (sim.Store.FindVisibleIssue(k) is { } i) { if (!found.Contains(i)) found.Add(i); }
                else missing.Add(k);
            w.WriteStartObject();
            w.WriteString("expand", "schema,names");
            w.WriteStartArray("issues");
            foreach (var i in found.OrderBy(i => i.Id)) sim.Render.Issue(w, i, fields, expand);
            w.WriteEndArray();
            w.WriteStartArray("issueErrors");
            foreach (var k in missing)
            {
                w.WriteStartObject();
                w.WriteString("id", k);
                w.WriteString("errorMessage", "Issue does not exist or you do not have permission to see it.");
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    /// <summary>Turns JQL errors and missing issues thrown during rendering into Jira's 400/404 bodies.</summary>
    internal static async Task Guard(HttpContext ctx, Func<Task> run)
    {
        try { await run(); }
        catch (JqlException ex) { await JsonOut.Error(ctx, 400, ex.Message); }
    }

    private static string MakeToken(int offset, uint hash) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes($"{offset}:{hash:x8}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryReadToken(string token, uint hash, out int offset)
    {
        offset = 0;
        try
        {
            var b64 = token.Replace('-', '+').Replace('_', '/');
            b64 += new string('=', (4 - b64.Length % 4) % 4);
            var parts = Encoding.ASCII.GetString(Convert.FromBase64String(b64)).Split(':');
            return parts.Length == 2 && int.TryParse(parts[0], out offset) && offset >= 0 && parts[1] == hash.ToString("x8");
        }
        catch (FormatException) { return false; }
    }
}
