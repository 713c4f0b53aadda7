using System.Text.Json.Nodes;
using JiraSync.Json;

namespace JiraSync.Loading;

/// <summary>Reads the JSON Schema "type" (a name or a list, unions with "null"), "format" and
/// anyOf/oneOf of a property and picks the narrowest column type that holds every allowed value.</summary>
internal static class JsonSchemaTypes
{
    public static ColumnType ColumnTypeOf(JsonNode? schema)
    {
        if (schema is not JsonObject o) return ColumnType.Json; // "true" / {} schemas allow anything
        ColumnType? result = null;
        foreach (var t in TypeNames(o))
        {
            var mapped = t switch
            {
                "string" => Format(o) switch
                {
                    "date-time" => ColumnType.Timestamp,
                    "date" => ColumnType.Date,
                    _ => ColumnType.Text,
                },
                "integer" => ColumnType.BigInt,
                "number" => ColumnType.Double,
                "boolean" => ColumnType.Boolean,
                "object" or "array" => ColumnType.Json,
                _ => (ColumnType?)null,
            };
            if (mapped is { } m) result = result is { } r ? ColumnTypes.Widen(r, m) : m;
        }
        foreach (var alternatives in new[] { o["anyOf"], o["oneOf"] })
        {
            if (alternatives is not JsonArray list) continue;
            foreach (var alt in list)
            {
                if (alt is JsonObject ao && TypeNames(ao).All(n => n == "null") && ao["anyOf"] is null && ao["oneOf"] is null) continue;
                var m = ColumnTypeOf(alt);
                result = result is { } r ? ColumnTypes.Widen(r, m) : m;
            }
        }
        // Only "null", or no type at all: text is the safe home; no type but nested properties means an object.
        return result ?? (o["properties"] is JsonObject ? ColumnType.Json : o["type"] is null ? ColumnType.Json : ColumnType.Text);
    }

    /// <summary>The "type" keyword as a list of names; "null" included.</summary>
    public static IReadOnlyList<string> TypeNames(JsonObject schema) => schema["type"] switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => [s],
        JsonArray a => a.Select(x => x is JsonValue xv && xv.TryGetValue<string>(out var xs) ? xs : "").Where(x => x.Length > 0).ToArray(),
        _ => [],
    };

    private static string? Format(JsonObject o) => o.StringProperty("format");
}
