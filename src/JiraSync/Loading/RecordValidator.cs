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
/// Runs once per record in target mode, on the parsed record itself (no JSON tree is built), against the schema
/// compiled once per SCHEMA message (keywords looked up once, properties in a dictionary); on the happy path it
/// allocates nothing but the property path, which is turned into text only for an error.
/// </summary>
public static class RecordValidator
{
    private static readonly ConditionalWeakTable<JsonObject, Node> Compiled = new();

    /// <summary>The first violation of <paramref name="schema"/> by <paramref name="record"/>, or null.</summary>
    /// <param name="schema">The stream's JSON Schema (a SCHEMA message's "schema").</param>
    /// <param name="record">The record as parsed (target mode).</param>
    public static string? Validate(JsonObject schema, JsonElement record) =>
        Check(Compile(schema), record, []);

    /// <summary>The first violation of <paramref name="schema"/> by a record built in process, or null
    /// (the record is written out once and checked as parsed).</summary>
    /// <param name="schema">The stream's JSON Schema.</param>
    /// <param name="record">The record.</param>
    public static string? Validate(JsonObject schema, JsonObject record) =>
        Validate(schema, JsonSerializer.SerializeToElement(record));

    private static Node Compile(JsonObject schema) => Compiled.GetValue(schema, s => new Node(s));

    /// <summary>One schema object with its keywords read once.</summary>
    private sealed class Node
    {
        // The JSON Schema keywords the validator checks (draft 7, as Singer SCHEMA messages use): "type" as a list,
        // "anyOf"/"oneOf", "format", "required", "properties" and "items"; null where the schema has none.
        public readonly string[] Types;
        public readonly Node?[]? AnyOf, OneOf;
        public readonly string? Format;
        public readonly string[]? Required;
        public readonly Dictionary<string, Node?>? Properties;
        public readonly Node? Items;

        /// <summary>Reads the keywords of schema object <paramref name="s"/> once, its sub-schemas compiled too.</summary>
        public Node(JsonObject s)
        {
            Types = JsonSchemaTypes.TypeNames(s).ToArray();
            AnyOf = Alternatives(s["anyOf"]);
            OneOf = Alternatives(s["oneOf"]);
            Format = s["format"] is JsonValue f && f.TryGetValue<string>(out var format) && format is "date-time" or "date" ? format : null;
            if (s["required"] is JsonArray required)
                Required = required.Select(r => r is JsonValue rv && rv.TryGetValue<string>(out var name) ? name : null).OfType<string>().ToArray();
            // Below a flattened object the declared types are column hints from the source's own field list (Jira's
            // can be wrong: fields.worklog is listed as an array and arrives as an object); a misfit widens its
            // column instead of failing the record, so it is not a violation here either.
            if (s["properties"] is JsonObject props && !SchemaHints.IsFlattened(s))
            {
                Properties = new Dictionary<string, Node?>(StringComparer.Ordinal);
                foreach (var (name, sub) in props) Properties[name] = sub is JsonObject o ? Compile(o) : null;
            }
            if (s["items"] is JsonObject items) Items = Compile(items);
        }

        private static Node?[]? Alternatives(JsonNode? node) =>
            node is JsonArray list && list.Count > 0 ? list.Select(a => a is JsonObject o ? Compile(o) : null).ToArray() : null;
    }

    private static string? Check(Node? s, JsonElement value, List<string> path)
    {
        if (s is null) return null;
        if (s.Types.Length > 0)
        {
            var ok = false;
            foreach (var t in s.Types) if (Matches(t, value)) { ok = true; break; }
            if (!ok) return $"{Where(path)}expected {string.Join(" or ", s.Types)}, got {KindOf(value)}";
        }
        if (s.AnyOf is { } anyOf && !AnyMatches(anyOf, value, path))
            return $"{Where(path)}matches none of the anyOf alternatives (got {KindOf(value)})";
        if (s.OneOf is { } oneOf && !AnyMatches(oneOf, value, path))
            return $"{Where(path)}matches none of the oneOf alternatives (got {KindOf(value)})";
        if (s.Format is { } format && value.ValueKind == JsonValueKind.String && !SingerTime.TryParse(value.GetString(), out _))
            return $"{Where(path)}\"{Short(value.GetString()!)}\" is not a valid {format}";
        if (value.ValueKind == JsonValueKind.Object)
        {
            if (s.Required is { } required)
                foreach (var name in required)
                    if (!value.TryGetProperty(name, out _))
                    {
                        path.Add(name);
                        return $"{Where(path)}is required but missing";
                    }
            if (s.Properties is { } props)
                foreach (var property in value.EnumerateObject())
                {
                    if (!props.TryGetValue(property.Name, out var propSchema) || propSchema is null) continue;
                    path.Add(property.Name);
                    if (Check(propSchema, property.Value, path) is { } error) return error;
                    path.RemoveAt(path.Count - 1);
                }
        }
        else if (value.ValueKind == JsonValueKind.Array && s.Items is { } items)
        {
            var i = 0;
            foreach (var item in value.EnumerateArray())
            {
                path.Add($"[{i++}]");
                if (Check(items, item, path) is { } error) return error;
                path.RemoveAt(path.Count - 1);
            }
        }
        return null;
    }

    private static bool AnyMatches(Node?[] alternatives, JsonElement value, List<string> path)
    {
        foreach (var a in alternatives)
        {
            var depth = path.Count;
            if (Check(a, value, path) is null) return true;
            path.RemoveRange(depth, path.Count - depth);
        }
        return false;
    }

    private static bool Matches(string type, JsonElement value) => type switch
    {
        "null" => value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined,
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "string" => value.ValueKind == JsonValueKind.String,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "number" => value.ValueKind == JsonValueKind.Number,
        "integer" => value.ValueKind == JsonValueKind.Number && (value.TryGetInt64(out _) || value.TryGetDouble(out var d) && d == Math.Floor(d)),
        _ => true,
    };

    private static string KindOf(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"string \"{Short(value.GetString()!)}\"",
        JsonValueKind.True or JsonValueKind.False => $"boolean {value.GetRawText()}",
        JsonValueKind.Number => $"number {Short(value.GetRawText())}",
        _ => "null",
    };

    private static string Where(List<string> path) =>
        path.Count == 0 ? "record: " : $"property '{string.Join(".", path).Replace(".[", "[")}': ";

    private static string Short(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
