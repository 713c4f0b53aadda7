using System.Text.Json;
using System.Text.Json.Nodes;

namespace JiraSync.Json;

/// <summary>
/// Reading one field of a JSON object the way Jira's answers and Singer messages need it: absent, null and a value
/// of another kind all read as null, so callers say what to do when a field is missing instead of catching
/// exceptions. The one home for these helpers (for parsed responses, <see cref="JsonElement"/>; for messages and
/// schemas, <see cref="JsonObject"/>).
/// </summary>
internal static class JsonFields
{
    /// <summary>The string value of property <paramref name="name"/> of an object element; null when the element is
    /// not an object or the property is absent or not a string.</summary>
    public static string? StringProperty(this JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;

    /// <summary><see cref="StringProperty(JsonElement, string)"/>, with an empty string read as null too.</summary>
    public static string? NonEmptyStringProperty(this JsonElement e, string name) =>
        StringProperty(e, name) is { Length: > 0 } s ? s : null;

    /// <summary>The string value of property <paramref name="name"/>; null when absent or not a string.</summary>
    public static string? StringProperty(this JsonObject o, string name) => o[name].AsStringOrNull();

    /// <summary>The node's string value; null when it is null or not a string.</summary>
    public static string? AsStringOrNull(this JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>An immutable element holding the same JSON as <paramref name="node"/> (a frozen copy: later changes to the
    /// node do not show). Written with a Utf8JsonWriter rather than JsonSerializer.SerializeToElement, whose
    /// reflection-based overload a Native AOT build of the tap refuses (IL2026/IL3050).</summary>
    /// <param name="node">Any JSON node.</param>
    public static JsonElement ToElement(this JsonNode node)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer)) node.WriteTo(writer);
        return JsonElement.Parse(buffer.WrittenSpan);
    }
}
