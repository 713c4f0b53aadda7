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
    long? Version = null) : SingerMessage;

/// <param name="Value">The whole state document (bookmarks, currently_syncing).</param>
public sealed record StateMessage(JsonObject Value) : SingerMessage;

public sealed record ActivateVersionMessage(string Stream, long Version) : SingerMessage;
