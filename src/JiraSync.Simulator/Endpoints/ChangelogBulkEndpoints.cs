using System.Text;
using System.Text.Json;
using JiraSync.Simulator.Http;
using JiraSync.Simulator.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace JiraSync.Simulator.Endpoints;

/// <summary>POST changelog/bulkfetch (Cloud; OpenAPI getBulkChangelogs): up to 1000 issue ids/keys,
/// histories sorted oldest first then by issue id, maxResults default 1000 capped at 10000 histories,
/// grouped per issue in `issueChangeLogs`, cursor `nextPageToken` absent on the last page.
/// `fieldIds` (≤10) keeps only histories whose items touch those fields.</summary>
internal static class ChangelogBulkEndpoints
{
    public static void Map(IEndpointRouteBuilder app, SimContext sim)
    {
        app.MapPost("/rest/api/2/changelog/bulkfetch", async ctx =>
        {
            if (await EndpointHelpers.ReadBulkRequest(ctx, sim, max: 1000) is not { } request) return;
            var (body, keys) = request;
            var fieldIds = EndpointHelpers.StringsOf(body, "fieldIds").Where(f => f is not null).ToHashSet()!;
            if (fieldIds.Count > 10) { await JsonOut.Error(ctx, 400, "A maximum of 10 field IDs can be specified."); return; }
            var max = Math.Min(EndpointHelpers.IntOf(body, "maxResults") is { } m && m > 0 ? m : 1000, 10000);
            var token = EndpointHelpers.StringOf(body, "nextPageToken");
            var offset = 0;
            if (!string.IsNullOrEmpty(token) && !TryReadToken(token, out offset))
            { await JsonOut.Error(ctx, 400, "The provided next page token is invalid or expired."); return; }

            await JsonOut.Send(ctx, sim.Store, w =>
            {
                var issues = keys.Select(k => sim.Store.FindVisibleIssue(k)).Where(i => i is not null).Distinct().ToList();
                var histories = issues.SelectMany(i => i!.Histories)
                    .Where(h => fieldIds.Count == 0 || HistoryFields(sim, h).Any(fieldIds.Contains))
                    .OrderBy(h => h.CreatedMs).ThenBy(h => h.IssueId).ThenBy(h => h.Id).ToList();
                var page = histories.Skip(offset).Take(max).ToList();
                w.WriteStartObject();
                w.WriteStartArray("issueChangeLogs");
                // Consecutive histories of one issue share an entry, as in the spec example.
                for (var k = 0; k < page.Count;)
                {
                    var issueId = page[k].IssueId;
                    w.WriteStartObject();
                    w.WriteString("issueId", issueId.ToString());
                    w.WriteStartArray("changeHistories");
                    for (; k < page.Count && page[k].IssueId == issueId; k++) sim.Render.History(w, page[k], withIssueId: false);
                    w.WriteEndArray();
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                if (offset + page.Count < histories.Count) w.WriteString("nextPageToken", MakeToken(offset + page.Count));
                w.WriteEndObject();
            });
        });
    }

    /// <summary>Field ids a history's items touch, found by rendering it (cheap, and always consistent with what is served).</summary>
    private static IEnumerable<string> HistoryFields(SimContext sim, SimHistory h)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer)) sim.Render.History(w, h, withIssueId: false);
        using var doc = JsonDocument.Parse(buffer.WrittenMemory);
        return doc.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("fieldId").GetString()!).ToList();
    }

    private static string MakeToken(int offset) => Convert.ToBase64String(Encoding.ASCII.GetBytes($"cl:{offset}"));

    private static bool TryReadToken(string token, out int offset)
    {
        offset = 0;
        try
        {
            var text = Encoding.ASCII.GetString(Convert.FromBase64String(token));
            return text.StartsWith("cl:") && int.TryParse(text[3..], out offset) && offset >= 0;
        }
        catch (FormatException) { return false; }
    }
}
