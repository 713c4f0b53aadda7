using System.Text.Json;
using System.Text.Json.Nodes;
using JiraSync.Errors;

namespace JiraSync.Singer;

/// <summary>
/// A Singer catalog: {"streams":[...]} with tap_stream_id, stream, schema, key_properties and a
/// metadata list of {breadcrumb, metadata} (singer-notes.md §4–§6). Parsing checks the shape only;
/// <see cref="JiraSync.Streams.CatalogValidator"/> checks it against the streams we offer.
/// </summary>
public sealed class Catalog
{
    /// <summary>The entries in file order.</summary>
    public List<CatalogEntry> Streams { get; } = [];

    /// <summary>The entry whose tap_stream_id is <paramref name="tapStreamId"/>, or null.</summary>
    /// <param name="tapStreamId">A stream id such as "issues".</param>
    public CatalogEntry? Find(string tapStreamId) => Streams.FirstOrDefault(s => s.TapStreamId == tapStreamId);

    /// <summary>The catalog in Singer's JSON form, {"streams":[...]}, as <c>--discover</c> prints it.</summary>
    public JsonObject ToJson() => new() { ["streams"] = new JsonArray(Streams.Select(s => (JsonNode)s.ToJson()).ToArray()) };

    /// <summary>Reads and parses a catalog file (shape only; see <see cref="JiraSync.Streams.CatalogValidator"/>).</summary>
    /// <param name="path">The file, as given to --catalog or --properties.</param>
    /// <exception cref="ConfigException">The file cannot be read or is empty.</exception>
    /// <exception cref="SingerFormatException">It is not JSON or not a Singer catalog.</exception>
    public static Catalog Load(string path)
    {
        var text = UserFile.ReadAllText(path, "catalog");
        return Parse(text, $"catalog {path}");
    }

    internal static Catalog Parse(string text, string source)
    {
        JsonNode? node;
        try { node = JsonNode.Parse(text); }
        catch (JsonException ex) { throw new SingerFormatException($"{source}: not JSON ({JsonErrorText.Reason(ex)})", ex); }
        return FromJson(node, source);
    }

    internal static Catalog FromJson(JsonNode? node, string source)
    {
        if (node is not JsonObject root || root["streams"] is not JsonArray streams)
            throw new SingerFormatException($"{source}: not a Singer catalog (expected an object with a \"streams\" array)");
        var catalog = new Catalog();
        var i = 0;
        foreach (var item in streams)
        {
            if (item is not JsonObject entry) throw new SingerFormatException($"{source}: streams[{i}] is not an object");
            catalog.Streams.Add(CatalogEntry.FromJson(entry, $"{source}: streams[{i}]"));
            i++;
        }
        return catalog;
    }
}

/// <summary>One stream of a catalog (Singer DISCOVERY_MODE.md,
/// https://github.com/singer-io/getting-started/blob/master/docs/DISCOVERY_MODE.md).</summary>
public sealed class CatalogEntry
{
    /// <summary>tap_stream_id: the stream's id, e.g. "issues".</summary>
    public required string TapStreamId { get; init; }
    /// <summary>stream: the table name (the tap_stream_id when the file has none).</summary>
    public required string Stream { get; init; }
    /// <summary>The JSON Schema of the stream's records.</summary>
    public required JsonObject Schema { get; init; }
    /// <summary>key_properties: the primary key.</summary>
    public List<string> KeyProperties { get; init; } = [];
    /// <summary>The metadata list: selection, inclusion, replication method and key per breadcrumb.</summary>
    public MetadataMap Metadata { get; init; } = new();
    /// <summary>Other top-level keys (replication_key, table_name, …) kept so a round trip loses nothing.</summary>
    internal JsonObject Extra { get; init; } = new();

    /// <summary>Selected iff the root metadata says selected (true or "true"), or the legacy schema.selected does
    /// (singer-python CatalogEntry.is_selected). Streams are not selected by default (SYNC_MODE.md).</summary>
    public bool IsSelected =>
        Metadata.GetBool([], "selected") ?? MetadataMap.AsBool(Schema["selected"]) ?? false;

    /// <summary>The entry in Singer's JSON form, unknown keys kept.</summary>
    public JsonObject ToJson()
    {
        var o = new JsonObject
        {
            ["tap_stream_id"] = TapStreamId,
            ["stream"] = Stream,
            ["key_properties"] = new JsonArray(KeyProperties.Select(k => (JsonNode)k).ToArray()),
            ["schema"] = Schema.DeepClone(),
            ["metadata"] = Metadata.ToJson(),
        };
        foreach (var (k, v) in Extra) o[k] = v?.DeepClone();
        return o;
    }

    internal static CatalogEntry FromJson(JsonObject e, string where)
    {
        var id = e["tap_stream_id"] is JsonValue t && t.TryGetValue<string>(out var ts) ? ts
            : e["stream"] is JsonValue s && s.TryGetValue<string>(out var ss) ? ss
            : throw new SingerFormatException($"{where} has no \"tap_stream_id\"");
        var stream = e["stream"] is JsonValue sv && sv.TryGetValue<string>(out var sn) ? sn : id;
        var schema = e["schema"] as JsonObject ?? new JsonObject();
        var keys = new List<string>();
        if (e["key_properties"] is JsonArray ka)
            foreach (var k in ka)
                keys.Add(k is JsonValue kv && kv.TryGetValue<string>(out var ks) ? ks
                    : throw new SingerFormatException($"{where} ('{id}'): key_properties holds a non-string"));
        var metadata = MetadataMap.FromJson(e["metadata"], $"{where} ('{id}')");
        var extra = new JsonObject();
        foreach (var (k, v) in e)
            if (k is not ("tap_stream_id" or "stream" or "schema" or "key_properties" or "metadata"))
                extra[k] = v?.DeepClone();
        return new CatalogEntry { TapStreamId = id, Stream = stream, Schema = (JsonObject)schema.DeepClone(), KeyProperties = keys, Metadata = metadata, Extra = extra };
    }
}

/// <summary>Metadata entries keyed by breadcrumb. [] is the stream, ["properties","f"] a field,
/// ["properties","fields","properties","updated"] a nested one.</summary>
public sealed class MetadataMap
{
    private readonly List<(string[] Breadcrumb, JsonObject Values)> _entries = [];

    internal IEnumerable<(IReadOnlyList<string> Breadcrumb, JsonObject Values)> Entries =>
        _entries.Select(e => ((IReadOnlyList<string>)e.Breadcrumb, e.Values));

    internal JsonObject? Get(IReadOnlyList<string> breadcrumb) =>
        _entries.FirstOrDefault(e => e.Breadcrumb.SequenceEqual(breadcrumb)).Values;

    internal void Set(IReadOnlyList<string> breadcrumb, string key, JsonNode? value)
    {
        var values = Get(breadcrumb);
        if (values == null) { values = new JsonObject(); _entries.Add((breadcrumb.ToArray(), values)); }
        values[key] = value;
    }

    internal bool? GetBool(IReadOnlyList<string> breadcrumb, string key) => AsBool(Get(breadcrumb)?[key]);

    internal string? GetString(IReadOnlyList<string> breadcrumb, string key) =>
        Get(breadcrumb)?[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>Booleans, tolerating the "true"/"false" strings SYNC_MODE.md's example shows.</summary>
    internal static bool? AsBool(JsonNode? node) => node switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.True => true,
        JsonValue v when v.GetValueKind() == JsonValueKind.False => false,
        JsonValue v when v.TryGetValue<string>(out var s) && bool.TryParse(s, out var b) => b,
        _ => null,
    };

    /// <summary>The metadata list in Singer's JSON form: [{"breadcrumb": [...], "metadata": {...}}].</summary>
    public JsonArray ToJson() => new(_entries.Select(e => (JsonNode)new JsonObject
    {
        ["breadcrumb"] = new JsonArray(e.Breadcrumb.Select(b => (JsonNode)b).ToArray()),
        ["metadata"] = e.Values.DeepClone(),
    }).ToArray());

    internal static MetadataMap FromJson(JsonNode? node, string where)
    {
        var map = new MetadataMap();
        if (node is null) return map;
        if (node is not JsonArray arr) throw new SingerFormatException($"{where}: \"metadata\" is not an array");
        foreach (var item in arr)
        {
            if (item is not JsonObject o || o["breadcrumb"] is not JsonArray bc || o["metadata"] is not JsonObject md)
                throw new SingerFormatException($"{where}: a metadata entry lacks \"breadcrumb\" or \"metadata\"");
            var crumbs = bc.Select(b => b is JsonValue v && v.TryGetValue<string>(out var s) ? s
                : throw new SingerFormatException($"{where}: a breadcrumb holds a non-string")).ToArray();
            var existing = map.Get(crumbs);
            if (existing != null) { foreach (var (k, v) in md) existing[k] = v?.DeepClone(); }
            else map._entries.Add((crumbs, (JsonObject)md.DeepClone()));
        }
        return map;
    }
}
