using System.Text.Json.Nodes;

namespace JiraSync.Singer;

/// <summary>
/// The Singer messages that flow from the tap to any consumer: the stdout writer (tap mode) or the
/// loader (sync and target modes). One type per message kind; see shared/reference/singer-notes.md.
/// </summary>
public abstract record SingerMessage;

/// <param name="Schema">JSON Schema of the stream's records (only selected properties).</param>
public sealed record SchemaMessage(
    string Stream,
    JsonObject Schema,
    IReadOnlyList<string> KeyProperties,
    IReadOnlyList<string> BookmarkProperties) : SingerMessage;

/// <param name="Record">The record; owned by the consumer once sent.</param>
public sealed record RecordMessage(
    string Stream,
    JsonObject Record,
    DateTimeOffset TimeExtracted,
    long? Version = null) : SingerMessage
{
    /// <summary>The record as parsed, when it was read as text (<see cref="SingerReader"/>, target mode); then
    /// <see cref="Record"/> is a view over it that is only built when read, and the loader takes values (and raw JSON
    /// text) from this element instead. Null for records built in process (the tap in `sync`).</summary>
    public System.Text.Json.JsonElement? Parsed { get; init; }
}

/// <param name="Value">The whole state document (bookmarks, currently_syncing).</param>
public sealed record StateMessage(JsonObject Value) : SingerMessage;

public sealed record ActivateVersionMessage(string Stream, long Version) : SingerMessage;
