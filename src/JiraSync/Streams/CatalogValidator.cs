using System.Text.Json.Nodes;
using JiraSync.Singer;

namespace JiraSync.Streams;

/// <summary>
/// Checks a user's catalog against the streams and schemas this tap offers, so a typo fails the
/// run up front with one line (exit 2) instead of silently extracting nothing: every stream must be
/// one of ours and every field breadcrumb must name a property our schema declares (below an object
/// that allows any key, such as issues.fields, any name is accepted).
/// </summary>
public static class CatalogValidator
{
    /// <summary>Returns when the catalog only names our streams and properties and its flags are booleans.</summary>
    /// <param name="catalog">The parsed catalog.</param>
    /// <param name="source">Names it in the message, e.g. "catalog catalog.json".</param>
    /// <exception cref="SingerFormatException">An unknown stream or property, or a flag that is not true/false (exit 2).</exception>
    public static void Validate(Catalog catalog, string source)
    {
        foreach (var entry in catalog.Streams)
        {
            var def = StreamRegistry.Find(entry.TapStreamId)
                ?? throw new SingerFormatException(
                    $"{source}: unknown stream '{entry.TapStreamId}' (streams: {string.Join(", ", StreamRegistry.All.Select(s => s.Name))})");
            var schema = SchemaStore.Get(def);
            // "selected": "yes" would read as not selected and drop the stream without a word.
            if (entry.Schema["selected"] is { } legacy && MetadataMap.AsBool(legacy) is null)
                throw new SingerFormatException($"{source}: stream '{def.Name}' schema.selected is {legacy.ToJsonString()}; write true or false");
            foreach (var (breadcrumb, values) in entry.Metadata.Entries)
            {
                foreach (var key in new[] { "selected", "selected-by-default" })
                    if (values[key] is { } flag && MetadataMap.AsBool(flag) is null)
                        throw new SingerFormatException(
                            $"{source}: stream '{def.Name}' metadata {(breadcrumb.Count == 0 ? "" : $"[{string.Join(", ", breadcrumb)}] ")}\"{key}\" is {flag.ToJsonString()}; write true or false");
                if (breadcrumb.Count == 0) continue;
                if (Resolve(schema, breadcrumb) is { } bad)
                    throw new SingerFormatException($"{source}: stream '{def.Name}' has no field '{bad}'");
            }
        }
    }

    /// <summary>Walks the breadcrumb through the schema; returns the dotted path that does not exist, or null.</summary>
    private static string? Resolve(JsonObject schema, IReadOnlyList<string> breadcrumb)
    {
        JsonObject? node = schema;
        var path = new List<string>();
        for (var i = 0; i < breadcrumb.Count; i++)
        {
            var token = breadcrumb[i];
            if (token == "items")
            {
                if (node?["items"] is JsonObject items) { node = items; continue; }
                return string.Join('.', path) + "[]";
            }
            if (token != "properties" || i + 1 >= breadcrumb.Count) return string.Join('.', path.Append(token));
            var name = breadcrumb[++i];
            path.Add(name);
            if (node?["properties"] is JsonObject props && props[name] is JsonObject child) { node = child; continue; }
            if (node?["patternProperties"] is JsonObject) return null; // open object: any key
            return string.Join('.', path);
        }
        return null;
    }
}
