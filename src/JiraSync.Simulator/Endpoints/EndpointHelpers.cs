using System.Text.Json;
using JiraSync.Simulator.Http;
using Microsoft.AspNetCore.Http;

namespace JiraSync.Simulator.Endpoints;

/// <summary>Envelope writers shared by endpoints.</summary>
internal static class EndpointHelpers
{
    /// <summary>PageBean: self, nextPage (only when more), maxResults, startAt, total, isLast, values. The agile API's
    /// pages are the same without self/nextPage, and its sprint list also without total.</summary>
    public static void PageBean<T>(Utf8JsonWriter w, HttpContext ctx, string selfBase, Page page, IReadOnlyList<T> all, Action<Utf8JsonWriter, T> item,
        bool withSelf = true, bool withTotal = true)
    {
        var isLast = page.IsLast(all.Count);
        w.WriteStartObject();
        if (withSelf)
        {
            var sep = selfBase.Contains('?') ? '&' : '?';
            w.WriteString("self", $"{selfBase}{sep}startAt={page.StartAt}&maxResults={page.MaxResults}");
            if (!isLast) w.WriteString("nextPage", $"{selfBase}{sep}startAt={page.StartAt + page.MaxResults}&maxResults={page.MaxResults}");
        }
        w.WriteNumber("maxResults", page.MaxResults);
        w.WriteNumber("startAt", page.StartAt);
        if (withTotal) w.WriteNumber("total", all.Count);
        w.WriteBoolean("isLast", isLast);
        w.WriteStartArray("values");
        foreach (var v in page.Slice(all)) item(w, v);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static void Array<T>(Utf8JsonWriter w, IEnumerable<T> items, Action<Utf8JsonWriter, T> item)
    {
        w.WriteStartArray();
        foreach (var v in items) item(w, v);
        w.WriteEndArray();
    }

    public static async Task<JsonElement?> ReadBody(HttpContext ctx)
    {
        try
        {
            using var doc = await JsonDocument.ParseAsync(ctx.Request.Body, cancellationToken: ctx.RequestAborted);
            return doc.RootElement.Clone();
        }
        catch (JsonException) { return null; }
    }

    /// <summary>The shared start of the Cloud bulk endpoints (issue/bulkfetch, changelog/bulkfetch): Cloud only,
    /// a JSON object body, 1 to <paramref name="max"/> "issueIdsOrKeys". Null when refused (the answer is sent).</summary>
    public static async Task<(JsonElement Body, List<string> IdsOrKeys)?> ReadBulkRequest(HttpContext ctx, SimContext sim, int max)
    {
        if (!sim.Cloud) { await EndpointMap.UnknownPath(ctx, sim); return null; }
        if (await ReadBody(ctx) is not { ValueKind: JsonValueKind.Object } body)
        { await JsonOut.Error(ctx, 400, "Invalid request payload. Refer to the REST API documentation and try again."); return null; }
        var ids = StringsOf(body, "issueIdsOrKeys").Where(k => k is not null).Select(k => k!.Trim('"')).ToList();
        if (ids.Count == 0 || ids.Count > max)
        { await JsonOut.Error(ctx, 400, $"The number of issue IDs or keys must be between 1 and {max}."); return null; }
        return (body, ids);
    }

    public static IEnumerable<string?> StringsOf(JsonElement body, string name)
    {
        if (!body.TryGetProperty(name, out var v)) return [];
        return v.ValueKind switch
        {
            JsonValueKind.Array => v.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : e.GetRawText()).ToList(),
            JsonValueKind.String => [v.GetString()],
            _ => [],
        };
    }

    public static int? IntOf(JsonElement body, string name) =>
        body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) ? n : null;

    public static string? StringOf(JsonElement body, string name) =>
        body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
