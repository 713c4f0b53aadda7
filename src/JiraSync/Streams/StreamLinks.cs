using System.Text.Json.Nodes;
using JiraSync.Singer;

namespace JiraSync.Streams;

/// <summary>
/// The parent → child links of the declared streams, as the loader needs them: written into each parent's SCHEMA
/// as <see cref="SchemaHints.Children"/>, so `sync`, and `target` fed by this tap, apply the same deletion cascades
/// and stale-children rules without knowing Jira's stream names.
/// </summary>
internal static class StreamLinks
{
    /// <summary>Every declared stream whose records die with a record of <paramref name="parent"/>
    /// (<see cref="StreamDefinition.DeletionParent"/>), in registry order.</summary>
    public static IReadOnlyList<SchemaHints.ChildLink> ChildrenOf(StreamDefinition parent) =>
        StreamRegistry.All
            .Where(d => d.DeletionParent?.Parent == parent.Name)
            .SelectMany(d => d.AlsoDiesWith.Select(p => new SchemaHints.ChildLink(d.Name, parent.KeyProperties[0], p))
                .Prepend(new SchemaHints.ChildLink(d.Name, parent.KeyProperties[0], d.DeletionParent!.Property, d.ResentWithParent)))
            .ToList();

    /// <summary>Adds <see cref="SchemaHints.Children"/> to a parent stream's schema (nothing for a stream without children).</summary>
    public static void AddChildrenHint(StreamDefinition stream, JsonObject schema)
    {
        var children = ChildrenOf(stream);
        if (children.Count > 0) schema[SchemaHints.Children] = new JsonArray(children.Select(c => (JsonNode)c.ToJson()).ToArray());
    }
}
