using System.Text.Json.Nodes;
using JiraSync.Singer;

namespace JiraSync.Streams;

/// <summary>
/// Which fields of a selected stream are emitted, from its catalog metadata (singer-notes.md §6):
/// automatic fields always; unsupported never; otherwise "selected" if set, else
/// "selected-by-default" if set, else emitted (singer-python keeps fields the user said nothing about).
/// Our keys and replication key are automatic whatever the catalog says. The same breadcrumbs
/// remove properties from the SCHEMA, so loaders do not create columns for unselected fields.
/// </summary>
internal sealed class FieldSelection
{
    private readonly List<string[]> _excluded;

    private FieldSelection(List<string[]> excluded) => _excluded = excluded;

    public static FieldSelection All { get; } = new([]);

    internal static FieldSelection From(CatalogEntry entry, StreamDefinition def, bool isServer)
    {
        var automatic = def.AutomaticProperties(isServer).ToHashSet();
        var excluded = new List<string[]>();
        foreach (var (breadcrumb, md) in entry.Metadata.Entries)
        {
            if (breadcrumb.Count == 0) continue;
            if (breadcrumb.Count == 2 && automatic.Contains(breadcrumb[1])) continue;
            if (!IsSelected(md)) excluded.Add(breadcrumb.ToArray());
        }
        return new FieldSelection(excluded);
    }

    private static bool IsSelected(JsonObject md)
    {
        var inclusion = md["inclusion"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        if (inclusion == "automatic") return true;
        if (inclusion == "unsupported") return false;
        return MetadataMap.AsBool(md["selected"]) ?? MetadataMap.AsBool(md["selected-by-default"]) ?? true;
    }

    internal void ApplyToRecord(JsonObject record)
    {
        foreach (var crumb in _excluded) Remove(record, crumb, 0, schemaMode: false);
    }

    internal void ApplyToSchema(JsonObject schema)
    {
        foreach (var crumb in _excluded) Remove(schema, crumb, 0, schemaMode: true);
    }

    /// <summary>Follows a breadcrumb ("properties", name, "items", …) and removes the property it ends on.
    /// In schema mode the breadcrumb maps one to one onto the schema; in record mode "properties" is
    /// implicit and "items" means every element of an array.</summary>
    private static void Remove(JsonNode? node, string[] crumb, int i, bool schemaMode)
    {
        if (node is null || i >= crumb.Length) return;
        if (crumb[i] == "items")
        {
            if (schemaMode) { Remove(node["items"], crumb, i + 1, schemaMode); return; }
            if (node is JsonArray arr) foreach (var item in arr) Remove(item, crumb, i + 1, schemaMode);
            return;
        }
        if (crumb[i] != "properties" || i + 1 >= crumb.Length) return;
        var name = crumb[i + 1];
        var container = schemaMode ? node["properties"] as JsonObject : node as JsonObject;
        if (container is null) return;
        if (i + 2 == crumb.Length) { container.Remove(name); return; }
        Remove(container[name], crumb, i + 2, schemaMode);
    }
}
