using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace JiraSync.Streams;

/// <summary>The embedded JSON schemas (Streams/Schemas/*.json). Each call returns a fresh copy the caller may change.</summary>
internal static class SchemaStore
{
    private static readonly ConcurrentDictionary<string, JsonObject> Cache = new();

    public static JsonObject Get(StreamDefinition stream) =>
        (JsonObject)Cache.GetOrAdd(stream.SchemaResource, Load).DeepClone();

    private static JsonObject Load(string resource)
    {
        using var s = typeof(SchemaStore).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"schema resource {resource} is missing from the assembly");
        return JsonNode.Parse(s) as JsonObject ?? throw new InvalidOperationException($"schema {resource} is not an object");
    }
}
