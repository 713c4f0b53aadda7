using System.Text.Json.Nodes;
using JiraSync.Json;

namespace JiraSync.Singer;

/// <summary>
/// Custom JSON Schema keywords this tap puts in its SCHEMA messages for loaders. JSON Schema validators
/// ignore keywords they do not know (draft 4 onwards), so other targets and our RecordValidator are unaffected.
/// </summary>
internal static class SchemaHints
{
    /// <summary>On an object property: besides the object's JSON column, load each declared sub-property into
    /// a typed column of its own, named <c>{property}__{sub-property}</c>.</summary>
    public const string Flatten = "x-jirasync-flatten";

    /// <summary>The separator between the object's name and the sub-property's in a flattened column name.</summary>
    public const string FlattenSeparator = "__";

    /// <summary>True when <paramref name="property"/> (a property's schema) carries <see cref="Flatten"/>: true.</summary>
    public static bool IsFlattened(JsonNode? property) =>
        property is JsonObject o && o[Flatten] is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    /// <summary>
    /// At the top level of a parent stream's schema: the streams whose rows belong to one of its records, so a loader
    /// can keep them consistent without knowing the source. An array of objects:
    /// <c>{"stream": "issue_comments", "parent_key": "id", "foreign_key": "issueId", "resent_with_parent": true}</c>.
    /// <c>parent_key</c> is the parent's property and <c>foreign_key</c> the child's property holding it (compared as
    /// text). A parent row marked deleted (<c>_sdc_deleted_at</c>) marks its children deleted in the same transaction.
    /// <c>resent_with_parent</c> (default false) says the source re-sends a parent's complete set of children with
    /// every parent record, so a child row of a re-sent parent that was not re-sent no longer exists and is marked
    /// deleted (applied only when the child's SCHEMA also came in the run).
    /// </summary>
    public const string Children = "x-jirasync-children";

    /// <summary>One entry of <see cref="Children"/>.</summary>
    /// <param name="Stream">The child stream.</param>
    /// <param name="ParentKey">The parent's property the child refers to (its key, e.g. "id").</param>
    /// <param name="ForeignKey">The child's property holding the parent's key (e.g. "issueId").</param>
    /// <param name="ResentWithParent">The source sends a parent's complete set of these children with each parent record.</param>
    public sealed record ChildLink(string Stream, string ParentKey, string ForeignKey, bool ResentWithParent = false)
    {
        /// <summary>The entry as the JSON object written in a schema.</summary>
        public JsonObject ToJson() => new()
        {
            ["stream"] = Stream, ["parent_key"] = ParentKey, ["foreign_key"] = ForeignKey, ["resent_with_parent"] = ResentWithParent,
        };
    }

    /// <summary>The <see cref="Children"/> of a stream's schema; entries missing a name are ignored (a hint, not a contract).</summary>
    public static IReadOnlyList<ChildLink> ChildrenOf(JsonObject schema)
    {
        if (schema[Children] is not JsonArray entries) return [];
        var links = new List<ChildLink>();
        foreach (var entry in entries.OfType<JsonObject>())
        {
            if (Text(entry, "stream") is not { } stream || Text(entry, "parent_key") is not { } parentKey || Text(entry, "foreign_key") is not { } foreignKey) continue;
            var resent = entry["resent_with_parent"] is JsonValue v && v.TryGetValue<bool>(out var b) && b;
            links.Add(new ChildLink(stream, parentKey, foreignKey, resent));
        }
        return links;
    }

    private static string? Text(JsonObject o, string name) => o.StringProperty(name) is { Length: > 0 } s ? s : null;
}
