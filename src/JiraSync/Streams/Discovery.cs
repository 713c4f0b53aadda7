using System.Text.Json.Nodes;
using JiraSync.Singer;

namespace JiraSync.Streams;

/// <summary>
/// Builds the catalog `discover` prints: per stream the schema, key_properties and the standard
/// metadata (singer-notes.md §5): table-key-properties, forced-replication-method,
/// valid-replication-keys, parent-tap-stream-id, inclusion (automatic for keys and the replication
/// key, available otherwise) and selected-by-default. Streams are not selected by default, as
/// SYNC_MODE.md and tap-jira have it; fields are.
/// </summary>
public static class Discovery
{
    /// <summary>The catalog of every stream, nothing selected.</summary>
    /// <param name="isServer">Server/DC rather than Cloud: some keys and streams differ.</param>
    /// <param name="fields">Jira's field list (declares the issues' fields properties), or null for the embedded schema only.</param>
    public static Catalog BuildCatalog(bool isServer, IReadOnlyList<JiraField>? fields = null)
    {
        var catalog = new Catalog();
        foreach (var def in StreamRegistry.All) catalog.Streams.Add(BuildEntry(def, isServer, fields));
        return catalog;
    }

    internal static CatalogEntry BuildEntry(StreamDefinition def, bool isServer, IReadOnlyList<JiraField>? fields = null)
    {
        var schema = IssueFieldSchema.SchemaOf(def, fields);
        var keys = def.KeysFor(isServer).ToList();
        var md = new MetadataMap();
        md.Set([], "table-key-properties", Strings(keys));
        md.Set([], "forced-replication-method", def.Method == ReplicationMethod.Incremental ? "INCREMENTAL" : "FULL_TABLE");
        md.Set([], "valid-replication-keys", Strings(def.ReplicationKey is null ? [] : [def.ReplicationKey]));
        if (def.Parent != null && !StreamRegistry.Get(def.Parent).Internal) md.Set([], "parent-tap-stream-id", def.Parent);
        md.Set([], "inclusion", "available");
        // tap-jira selects no stream by default; the per-issue streams say so with reason (README: what they cost).
        md.Set([], "selected-by-default", false);
        var automatic = def.AutomaticProperties(isServer).ToHashSet();
        foreach (var (name, property) in (JsonObject)schema["properties"]!)
        {
            var crumb = new[] { "properties", name };
            var isAuto = automatic.Contains(name);
            md.Set(crumb, "inclusion", isAuto ? "automatic" : "available");
            md.Set(crumb, "selected-by-default", true);
            // Each declared issue field can be deselected on its own (its column and its key in the fields JSON go).
            if (SchemaHints.IsFlattened(property) && property!["properties"] is JsonObject subs)
                foreach (var (sub, _) in subs)
                {
                    var subCrumb = new[] { "properties", name, "properties", sub };
                    md.Set(subCrumb, "inclusion", "available");
                    md.Set(subCrumb, "selected-by-default", true);
                }
        }
        return new CatalogEntry { TapStreamId = def.Name, Stream = def.Name, Schema = schema, KeyProperties = keys, Metadata = md };
    }

    /// <summary>Marks every stream selected (the default when no catalog is given), except those costing a request
    /// per issue (<see cref="StreamDefinition.SelectedByDefault"/> false) unless <paramref name="optIn"/> says so too.</summary>
    /// <param name="catalog">Changed in place and returned.</param>
    /// <param name="optIn">Select the per-issue streams too.</param>
    public static Catalog SelectAll(Catalog catalog, bool optIn = false)
    {
        foreach (var s in catalog.Streams)
            if (optIn || StreamRegistry.Find(s.TapStreamId) is not { SelectedByDefault: false })
                s.Metadata.Set([], "selected", true);
        return catalog;
    }

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode)v).ToArray());
}
