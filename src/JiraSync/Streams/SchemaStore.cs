using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace JiraSync.Streams;

/// <summary>The embedded JSON schemas (Streams/Schemas/*.json). Each call returns a fresh copy the caller may change.</summary>
internal static class SchemaStore
{
    // Kept as immutable elements: a cached JsonObject would be read by units running at the same time, and a JsonObject
    // parsed lazily builds its children on first read, which is not safe from two threads. Each caller gets its own view.
    private static readonly ConcurrentDictionary<string, JsonElement> Cache = new();

    /// <summary>The stream's embedded schema, a copy of its own (the caller may change it).</summary>
    /// <param name="stream">The stream.</param>
    public static JsonObject Get(StreamDefinition stream) => JsonObject.Create(Cache.GetOrAdd(stream.SchemaResource, Load))!;

    private static JsonElement Load(string resource)
    {
        using var s = typeof(SchemaStore).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"schema resource {resource} is missing from the assembly");
        var schema = JsonDocument.Parse(s).RootElement;
        return schema.ValueKind == JsonValueKind.Object ? schema : throw new InvalidOperationException($"schema {resource} is not an object");
    }
}
