using System.Text.Json.Nodes;

namespace JiraSync.Singer;

/// <summary>
/// The Singer messages that flow from the tap to any consumer: the stdout writer (tap mode) or the
/// loader (sync and target modes). One type per message kind; see shared/reference/singer-notes.md.
/// </summary>
public abstract record SingerMessage;

/// <summary>SCHEMA: the shape of a stream's records, sent before its first RECORD (Singer SPEC, "SCHEMA message",
/// https://github.com/singer-io/getting-started/blob/master/docs/SPEC.md).</summary>
/// <param name="Stream">The stream (table) name.</param>
/// <param name="Schema">JSON Schema of the stream's records (only selected properties).</param>
/// <param name="KeyProperties">Primary-key properties; empty when the stream has none.</param>
/// <param name="BookmarkProperties">Properties the bookmark follows (the replication key), or empty.</param>
public sealed record SchemaMessage(
    string Stream,
    JsonObject Schema,
    IReadOnlyList<string> KeyProperties,
    IReadOnlyList<string> BookmarkProperties) : SingerMessage;

/// <summary>RECORD: one row of a stream (Singer SPEC, "RECORD message").</summary>
/// <param name="Stream">The stream it belongs to; its SCHEMA came first.</param>
/// <param name="Record">The record; owned by the consumer once sent.</param>
/// <param name="TimeExtracted">When the tap read it (UTC on the wire, RFC 3339).</param>
/// <param name="Version">The full-table version it belongs to (ACTIVATE_VERSION), or null.</param>
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

/// <summary>STATE: where the next run resumes; a consumer persists it once everything before it is stored (Singer SPEC,
/// "STATE message").</summary>
/// <param name="Value">The whole state document (bookmarks, currently_syncing).</param>
public sealed record StateMessage(JsonObject Value) : SingerMessage;

/// <summary>ACTIVATE_VERSION: a full-table pass of <paramref name="Stream"/> is complete; rows of other versions are gone
/// from Jira (singer-python's experimental extension, singer-notes.md §2).</summary>
/// <param name="Stream">The stream.</param>
/// <param name="Version">The version its records of this pass carried (milliseconds since the Unix epoch).</param>
public sealed record ActivateVersionMessage(string Stream, long Version) : SingerMessage;
