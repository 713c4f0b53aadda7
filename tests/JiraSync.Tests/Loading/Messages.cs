using System.Text.Json.Nodes;
using JiraSync.Singer;

namespace JiraSync.Tests.Loading;

/// <summary>Hand-made Singer message sequences for loader tests.</summary>
public static class Messages
{
    public static readonly DateTimeOffset Extracted = new(2024, 5, 1, 10, 0, 0, TimeSpan.Zero);

    public static SchemaMessage Schema(string stream, string propertiesJson, params string[] keys) =>
        new(stream, new JsonObject { ["type"] = "object", ["properties"] = JsonNode.Parse(propertiesJson) }, keys, []);

    /// <summary>The schema message with a top-level schema keyword added (a loader hint such as x-jirasync-children).</summary>
    public static SchemaMessage WithHint(SchemaMessage schema, string keyword, string json)
    {
        schema.Schema[keyword] = JsonNode.Parse(json);
        return schema;
    }

    public static RecordMessage Record(string stream, string json, long? version = null) =>
        new(stream, JsonNode.Parse(json)!.AsObject(), Extracted, version);

    public static StateMessage State(string json) => new(JsonNode.Parse(json)!.AsObject());

    public static async IAsyncEnumerable<SingerMessage> Stream(params SingerMessage[] messages)
    {
        foreach (var m in messages) { yield return m; await Task.Yield(); }
    }
}
