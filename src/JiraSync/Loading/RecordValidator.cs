using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using JiraSync.Singer;

namespace JiraSync.Loading;

/// <summary>
/// Checks a record against the JSON Schema subset Singer taps use: type (with unions), format date-time/date,
/// properties, items, required, anyOf/oneOf. Returns the first violation as a readable sentence, or null.
/// Unknown keywords are ignored, additional properties allowed (a tap may send more than it declared), and the
/// sub-properties of an object marked <see cref="SchemaHints.Flatten"/> are not checked (see Check).
/// Runs once per record in target mode, so it allocates nothing on the happy path: the property path is
/// kept on a stack and only turned into text for an error, and each schema node's type list is cached.
/// </summary>
public static class RecordValidator
{
    private static readonly ConditionalWeakTable<JsonObject, string[]> TypeCache = new();

    /// <summary>The first way <paramref name="record"/> breaks <paramref name="schema"/>, as a sentence naming the
    /// property path (e.g. <c>property 'fields.priority': expected object or null, got string "High"</c>), or null
    /// when it conforms.</summary>
    /// <param name="schema">The stream's JSON Schema (the SCHEMA message's "schema").</param>
    /// <param name="record">The RECORD's "record" object.</param>
    public static string? Validate(JsonObject schema, JsonObject record)
    {
        var path = new List<string>();
        return Check(schema, record, path);
    }

    private static string? Check(JsonNode? schema, JsonNode? value, List<string> path)
    {
        if (schema is not JsonObject s) return null;
        var types = TypeCache.GetValue(s, o => JsonSchemaTypes.TypeNames(o).ToArray());
        if (types.Length > 0)
        {
            var ok = false;
            foreach (var t in types) if (Matches(t, value)) { ok = true; break; }
            if (!ok) return $"{Where(path)}expected {string.Join(" or ", types)}, got {KindOf(value)}";
        }
        if (s["anyOf"] is JsonArray anyOf && anyOf.Count > 0 && !AnyMatches(anyOf, value, path))
            return $"{Where(path)}matches none of the anyOf alternatives (got {KindOf(value)})";
        if (s["oneOf"] is JsonArray oneOf && oneOf.Count > 0 && !AnyMatches(oneOf, value, path))
            return $"{Where(path)}matches none of the oneOf alternatives (got {KindOf(value)})";
        if (value is JsonValue v && s["format"] is JsonValue f && f.TryGetValue<string>(out var format)
            && format is "date-time" or "date" && v.GetValueKind() == JsonValueKind.String)
        {
            try { SingerTime.Parse(v.GetValue<string>()); }
            catch (FormatException) { return $"{Where(path)}\"{Short(v.GetValue<string>())}\" is not a valid {format}"; }
        }
        if (value is JsonObject obj)
        {
            if (s["required"] is JsonArray required)
                foreach (var r in required)
                    if (r is JsonValue rv && rv.TryGetValue<string>(out var name) && !obj.ContainsKey(name))
                    {
                        path.Add(name);
                        return $"{Where(path)}is required but missing";
                    }
            // Below a flattened object the declared types are column hints from the source's own field list (Jira's
            // can be wrong: fields.worklog is listed as an array and arrives as an object); a misfit widens its
            // column instead of failing the record, so it is not a violation here either.
            if (s["properties"] is JsonObject props && !SchemaHints.IsFlattened(s))
                foreach (var (name, propValue) in obj)
                {
                    if (props[name] is not { } propSchema) continue;
                    path.Add(name);
                    if (Check(propSchema, propValue, path) is { } error) return error;
                    path.RemoveAt(path.Count - 1);
                }
        }
        else if (value is JsonArray array && s["items"] is JsonObject items)
        {
            for (var i = 0; i < array.Count; i++)
            {
                path.Add($"[{i}]");
                if (Check(items, array[i], path) is { } error) return error;
                path.RemoveAt(path.Count - 1);
            }
        }
        return null;
    }

    private static bool AnyMatches(JsonArray alternatives, JsonNode? value, List<string> path)
    {
        foreach (var a in alternatives)
        {
            var depth = path.Count;
            if (Check(a, value, path) is null) return true;
            path.RemoveRange(depth, path.Count - depth);
        }
        return false;
    }

    private static bool Matches(string type, JsonNode? value) => type switch
    {
        "null" => value is null || value.GetValueKind() == JsonValueKind.Null,
        "object" => value is JsonObject,
        "array" => value is JsonArray,
        "string" => value is JsonValue && value.GetValueKind() == JsonValueKind.String,
        "boolean" => value is JsonValue && value.GetValueKind() is JsonValueKind.True or JsonValueKind.False,
        "number" => value is JsonValue && value.GetValueKind() == JsonValueKind.Number,
        "integer" => value is JsonValue && value.GetValueKind() == JsonValueKind.Number && IsInteger(value.AsValue()),
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

    private static string Where(List<string> path) =>
        path.Count == 0 ? "record: " : $"property '{string.Join(".", path).Replace(".[", "[")}': ";

    private static string Short(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
