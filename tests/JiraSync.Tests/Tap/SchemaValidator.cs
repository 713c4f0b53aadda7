using System.Text.Json;
using System.Text.Json.Nodes;
using JiraSync.Singer;

namespace JiraSync.Tests.Tap;

/// <summary>
/// Validates a JSON value against the JSON Schema subset the tap's schemas use: "type" (a name or a
/// list of names), "properties", "patternProperties", "items", "format": "date-time" (RFC 3339 with
/// a 'T', as Singer targets require). Returns the problems, each with its JSON path.
/// </summary>
public static class SchemaValidator
{
    public static List<string> Validate(JsonNode? value, JsonObject schema, string path = "$")
    {
        var errors = new List<string>();
        Check(value, schema, path, errors);
        return errors;
    }

    private static void Check(JsonNode? value, JsonObject schema, string path, List<string> errors)
    {
        var kind = KindOf(value);
        if (schema["type"] is { } typeNode)
        {
            var allowed = typeNode is JsonArray arr ? arr.Select(t => (string)t!).ToList() : [(string)typeNode!];
            if (!allowed.Any(t => Matches(t, kind, value)))
            {
                errors.Add($"{path}: {kind} is not {string.Join("/", allowed)}");
                return;
            }
        }
        if (kind == "string" && (string?)schema["format"] == "date-time")
        {
            var s = value!.GetValue<string>();
            if (s.Length < 11 || s[10] != 'T' || !SingerTime.TryParse(s, out _) || !(s.EndsWith('Z') || s[^6] is '+' or '-'))
                errors.Add($"{path}: '{s}' is not an RFC 3339 date-time");
        }
        if (value is JsonObject obj)
        {
            var props = schema["properties"] as JsonObject;
            var patterns = schema["patternProperties"] as JsonObject;
            foreach (var (name, child) in obj)
            {
                if (props?[name] is JsonObject ps) Check(child, ps, $"{path}.{name}", errors);
                else if (patterns != null)
                    foreach (var (pattern, psNode) in patterns)
                        if (psNode is JsonObject pps && System.Text.RegularExpressions.Regex.IsMatch(name, pattern))
                            Check(child, pps, $"{path}.{name}", errors);
            }
        }
        if (value is JsonArray items && schema["items"] is JsonObject itemSchema)
            for (var i = 0; i < items.Count; i++) Check(items[i], itemSchema, $"{path}[{i}]", errors);
    }

    private static string KindOf(JsonNode? value) => value switch
    {
        null => "null",
        JsonObject => "object",
        JsonArray => "array",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.Number => "number",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            _ => "null",
        },
        _ => throw new ArgumentException($"unexpected JSON node {value.GetType().Name}"),
    };

    private static bool Matches(string type, string kind, JsonNode? value) => type switch
    {
        "integer" => kind == "number" && double.TryParse(value!.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d) && d == Math.Floor(d),
        "number" => kind == "number",
        _ => type == kind,
    };
}
