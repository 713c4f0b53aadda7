using System.Text.Json;
using System.Text.Json.Nodes;

namespace JiraSync.Loading;

/// <summary>A cheap estimate of a JSON value's serialized size, for batching by bytes without serializing.</summary>
public static class JsonSize
{
    public static long Estimate(JsonNode? node) => node switch
    {
        null => 4,
        JsonObject o => 2 + o.Sum(kv => kv.Key.Length + 4 + Estimate(kv.Value)),
        JsonArray a => 2 + a.Sum(x => 1 + Estimate(x)),
        JsonValue v => v.GetValueKind() == JsonValueKind.String && v.TryGetValue<string>(out var s) ? s.Length + 2 : 8,
        _ => 8,
    };
}
