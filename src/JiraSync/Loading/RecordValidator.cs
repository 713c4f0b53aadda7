using System.Text.Json;
using System.Text.Json.Nodes;

namespace JiraSync.Loading;

/// <summary>
/// Checks a record against the JSON Schema subset Singer taps use: type (with unions), format date-time/date,
/// properties, items, required, anyOf/oneOf. Returns the first violation as a readable sentence, or null.
/// Unknown keywords are ignored, additional properties allowed (a tap may send more than it declared).
/// </summary>
public static class RecordValidator
{
    public static string? Validate(JsonObject schema, JsonObject record) => Check(schema, record, "");

    private static string? Check(JsonNode? schema, JsonNode? value, string path)
    {
        if (schema is not JsonObject s) return null;
        var types = JsonSchemaTypes.TypeNames(s);
        if (types.Count > 0 && !types.Any(t => Matches(t, value)))
            return $"{Where(path)}expected {string.Join(" or ", types)}, got {KindOf(value)}";
        foreach (var key in new[] { "anyOf", "oneOf" })
        {
            if (s[key] is JsonArray alternatives && alternatives.Count > 0
                && alternatives.All(a => Check(a, value, path) is not null))
                return $"{Where(path)}matches none of the {key} alternatives (got {KindOf(value)})";
        }
        if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String && s["format"] is JsonValue f && f.TryGetValue<string>(out var format)
            && format is "date-time" or "date")
        {
            try { ValueConverter.ParseTimestamp(v.GetValue<string>()); }
            catch (FormatException) { return $"{Where(path)}\"{Short(v.GetValue<string>())}\" is not a valid {format}"; }
        }
        if (value is JsonObject obj)
        {
            if (s["required"] is JsonArray required)
                foreach (var r in required)
                    if (r?.GetValue<string>() is { } name && !obj.ContainsKey(name))
                        return $"{Where(Join(path, name))}is required but missing";
            if (s["properties"] is JsonObject props)
                foreach (var (name, propValue) in obj)
                    if (props[name] is { } propSchema && Check(propSchema, propValue, Join(path, name)) is { } error)
                        return error;
        }
        else if (value is JsonArray array && s["items"] is JsonObject items)
        {
            for (var i = 0; i < array.Count; i++)
                if (Check(items, array[i], $"{path}[{i}]") is { } error) return error;
        }
        return null;
    }

    private static bool Matches(string type, JsonNode? value) => type switch
    {
        "null" => value is null || value.GetValueKind() == JsonValueKind.Null,
        "object" => value is JsonObject,
        "array" => value is JsonArray,
        "string" => value?.GetValueKind() == JsonValueKind.String,
        "boolean" => value?.GetValueKind() is JsonValueKind.True or JsonValueKind.False,
        "number" => value?.GetValueKind() == JsonValueKind.Number,
        "integer" => value?.GetValueKind() == JsonValueKind.Number && IsInteger(value.AsValue()),
        _ => true,
    };

    private static bool IsInteger(JsonValue v)
    {
        if (v.TryGetValue<long>(out _) || v.TryGetValue<int>(out _)) return true;
        var text = v.ToJsonString();
        return double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d) && d == Math.Floor(d);
    }

    private static string KindOf(JsonNode? value) => value switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray => "an array",
        _ => value.GetValueKind() switch
        {
            JsonValueKind.String => $"string \"{Short(value.GetValue<string>())}\"",
            JsonValueKind.True or JsonValueKind.False => $"boolean {value.ToJsonString()}",
            JsonValueKind.Number => $"number {Short(value.ToJsonString())}",
            _ => "null",
        },
    };

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";
    private static string Where(string path) => path.Length == 0 ? "record: " : $"property '{path}': ";
    private static string Short(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
