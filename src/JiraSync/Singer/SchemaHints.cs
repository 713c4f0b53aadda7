using System.Text.Json.Nodes;

namespace JiraSync.Singer;

/// <summary>
/// Custom JSON Schema keywords this tap puts in its SCHEMA messages for loaders. JSON Schema validators
/// ignore keywords they do not know (draft 4 onwards), so other targets and our RecordValidator are unaffected.
/// </summary>
public static class SchemaHints
{
    /// <summary>On an object property: besides the object's JSON column, load each declared sub-property into
    /// a typed column of its own, named <c>{property}__{sub-property}</c>.</summary>
    public const string Flatten = "x-jirasync-flatten";

    /// <summary>The separator between the object's name and the sub-property's in a flattened column name.</summary>
    public const string FlattenSeparator = "__";

    public static bool IsFlattened(JsonNode? property) =>
        property is JsonObject o && o[Flatten] is JsonValue v && v.TryGetValue<bool>(out var b) && b;
}
