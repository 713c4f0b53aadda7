using System.Text.Json;
using System.Text.Json.Nodes;
using JiraSync.Singer;

namespace JiraSync.Streams;

/// <summary>
/// Makes a record conform to its schema's date-time properties: Jira writes
/// "2024-01-15T10:20:30.123+0000" (no colon, user's offset) and date-only "2024-01-15"; Singer
/// consumers expect RFC 3339 UTC, which singer-python's transformer produces for tap-jira
/// (singer-notes.md §8). Compiled once per schema into a tree of the paths that need it.
/// </summary>
internal sealed class RecordShaper
{
    private readonly HashSet<string> _dateTimes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RecordShaper> _objects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RecordShaper> _arrays = new(StringComparer.Ordinal);

    internal static RecordShaper Compile(JsonObject schema) => Build(schema) ?? new RecordShaper();

    private static RecordShaper? Build(JsonObject schema)
    {
        if (schema["properties"] is not JsonObject props) return null;
        var shaper = new RecordShaper();
        foreach (var (name, node) in props)
        {
            if (node is not JsonObject prop) continue;
            if ((string?)prop["format"] == "date-time") shaper._dateTimes.Add(name);
            if (Build(prop) is { } child) shaper._objects[name] = child;
            if (prop["items"] is JsonObject items && Build(items) is { } itemShaper) shaper._arrays[name] = itemShaper;
        }
        return shaper._dateTimes.Count + shaper._objects.Count + shaper._arrays.Count == 0 ? null : shaper;
    }

    internal void Apply(JsonObject record)
    {
        foreach (var name in _dateTimes)
        {
            if (record[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String
                && SingerTime.Normalize(v.GetValue<string>()) is { } normalized)
                record[name] = normalized;
        }
        foreach (var (name, child) in _objects)
            if (record[name] is JsonObject o) child.Apply(o);
        foreach (var (name, child) in _arrays)
            if (record[name] is JsonArray a)
                foreach (var item in a)
                    if (item is JsonObject o) child.Apply(o);
    }
}
