using System.Text.Json;
using System.Text.Json.Nodes;
using JiraSync.Errors;
using JiraSync.Json;
using JiraSync.Logging;

namespace JiraSync.Singer;

/// <summary>
/// The tap's state document: {"bookmarks": {"&lt;stream&gt;": {...}}, "currently_syncing": "&lt;stream&gt;"|null}
/// (singer-notes.md §7, the shape tap-jira reads and writes). Unknown keys and streams are kept, so a
/// state written by tap-jira or another version survives a round trip. Not thread-safe: each unit of a
/// tap changes its own copy, and the tap's output merges the committed bookmarks into the one it writes, under a lock.
/// </summary>
public sealed class TapState
{
    private readonly JsonObject _root;

    private TapState(JsonObject root) => _root = root;

    /// <summary>A state with no bookmarks (a first run).</summary>
    internal static TapState Empty() => new(new JsonObject { ["bookmarks"] = new JsonObject() });

    /// <summary>Reads a state file. An empty file or <c>{}</c> is a first run (an orchestrator may pass one), said in a
    /// warning on <paramref name="log"/> because it also means a full re-extraction; an object that has keys but no
    /// "bookmarks" is some other document (exit 2), not silently a first run.</summary>
    /// <param name="path">The state file (a bare state value or a whole STATE message).</param>
    /// <param name="log">Receives the first-run warnings; none when null.</param>
    /// <exception cref="ConfigException">The file cannot be read.</exception>
    /// <exception cref="SingerFormatException">It is not JSON, not an object, or not a tap state.</exception>
    public static TapState Load(string path, ILog? log = null)
    {
        var text = UserFile.ReadAllText(path, "state", allowEmpty: true);
        const string fullSync = "every selected stream is extracted from start_date (a full sync)";
        if (string.IsNullOrWhiteSpace(text))
        {
            log?.Warn($"state {path} is empty: {fullSync}. If the shell wrote the tap's output into this same file, it emptied it first: write the output elsewhere and keep the last STATE");
            return Empty();
        }
        JsonNode? node;
        try { node = JsonNode.Parse(text); }
        catch (JsonException ex) { throw new SingerFormatException($"state {path}: not JSON ({JsonErrorText.Reason(ex)})", ex); }
        var root = node as JsonObject ?? throw new SingerFormatException($"state {path}: not a JSON object");
        var isMessage = root["type"] is JsonValue t && t.TryGetValue<string>(out var type) && type.Equals("STATE", StringComparison.OrdinalIgnoreCase);
        var value = isMessage ? root["value"] as JsonObject : root;
        if (value is { Count: 0 }) log?.Warn($"state {path} holds no bookmarks: {fullSync}");
        else if (value != null && value["bookmarks"] is null)
            throw new SingerFormatException($"state {path} has no \"bookmarks\" (keys: {string.Join(", ", value.Select(p => p.Key).Take(5))}): it is not a Singer tap state; " +
                                            "pass the last STATE value a tap printed, or {} for a full sync");
        return FromJson(root, $"state {path}");
    }

    /// <summary>Validates and copies a state document. Accepts a whole STATE message too (its "value").</summary>
    internal static TapState FromJson(JsonObject? state, string source = "state")
    {
        if (state is null) return Empty();
        var root = (JsonObject)state.DeepClone();
        if (root["type"] is JsonValue t && t.TryGetValue<string>(out var type) && type.Equals("STATE", StringComparison.OrdinalIgnoreCase))
            root = root["value"] as JsonObject ?? throw new SingerFormatException($"{source}: STATE message without an object \"value\"");
        var bookmarks = root["bookmarks"];
        if (bookmarks is null) root["bookmarks"] = new JsonObject();
        else if (bookmarks is not JsonObject bm) throw new SingerFormatException($"{source}: \"bookmarks\" is not an object");
        else
            foreach (var (stream, value) in bm)
            {
                if (value is null) continue;
                if (value is not JsonObject streamBookmarks)
                    throw new SingerFormatException($"{source}: bookmarks.{stream} is not an object");
                foreach (var (key, v) in streamBookmarks)
                {
                    if (!Singer.Bookmarks.DateKeys.Contains(key) || v is null) continue;
                    var text = v is JsonValue jv && jv.TryGetValue<string>(out var s) ? s : v.ToJsonString();
                    if (!SingerTime.TryParse(text, out _))
                        throw new SingerFormatException($"{source}: bookmarks.{stream}.{key} '{text}' is not a date");
                }
            }
        var cs = root["currently_syncing"];
        if (cs is not null && !(cs is JsonValue csv && csv.TryGetValue<string>(out _)))
            throw new SingerFormatException($"{source}: \"currently_syncing\" is not a stream name");
        return new TapState(root);
    }

    /// <summary>The streams the bookmarks name.</summary>
    internal IEnumerable<string> BookmarkedStreams => BookmarksObject.Select(p => p.Key);

    /// <summary>Every date bookmark: stream, key and instant.</summary>
    internal IEnumerable<(string Stream, string Key, DateTimeOffset At)> DateBookmarks()
    {
        foreach (var (stream, value) in BookmarksObject)
            if (value is JsonObject o)
                foreach (var (key, v) in o)
                    if (Singer.Bookmarks.DateKeys.Contains(key) && v is JsonValue jv && jv.TryGetValue<string>(out var text) && SingerTime.TryParse(text, out var at))
                        yield return (stream, key, at);
    }

    private JsonObject BookmarksObject => (JsonObject)_root["bookmarks"]!;

    /// <summary>The stream being synced when this state was written (resumed first), or null.</summary>
    internal string? CurrentlySyncing
    {
        get => _root["currently_syncing"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        set => _root["currently_syncing"] = value;
    }

    /// <summary>A stream's bookmark value as stored (any JSON), or null.</summary>
    internal JsonNode? GetBookmark(string stream, BookmarkKey key) => (BookmarksObject[stream] as JsonObject)?[key.Name];

    /// <summary>A date bookmark, or null when absent (values were checked to be dates when the state was read).</summary>
    internal DateTimeOffset? Get(string stream, DateBookmark key) =>
        SingerTime.TryParse(GetBookmark(stream, key).AsStringOrNull(), out var d) ? d : null;

    /// <summary>A text bookmark, or null when absent or not text.</summary>
    internal string? Get(string stream, TextBookmark key) => GetBookmark(stream, key).AsStringOrNull();

    /// <summary>A number bookmark, or null when absent or not a whole number.</summary>
    internal long? Get(string stream, NumberBookmark key) =>
        GetBookmark(stream, key) is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var l) ? l : null;

    /// <summary>Whether a flag bookmark is set.</summary>
    internal bool Get(string stream, FlagBookmark key) => GetBookmark(stream, key) is not null;

    /// <summary>A text-map bookmark's entries (those whose values are text), empty when absent.</summary>
    internal IReadOnlyDictionary<string, string> Get(string stream, TextMapBookmark key) =>
        GetBookmark(stream, key) is JsonObject o
            ? o.Where(kv => kv.Value.AsStringOrNull() is not null).ToDictionary(kv => kv.Key, kv => kv.Value.AsStringOrNull()!)
            : new Dictionary<string, string>();

    /// <summary>Sets a text-map bookmark.</summary>
    internal void Set(string stream, TextMapBookmark key, IEnumerable<KeyValuePair<string, string>> entries) =>
        Put(stream, key, new JsonObject(entries.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))));

    /// <summary>Sets a date bookmark (written in Singer's UTC form).</summary>
    internal void Set(string stream, DateBookmark key, DateTimeOffset value) => Put(stream, key, SingerTime.Format(value));

    /// <summary>Sets a text bookmark.</summary>
    internal void Set(string stream, TextBookmark key, string value) => Put(stream, key, value);

    /// <summary>Sets a number bookmark.</summary>
    internal void Set(string stream, NumberBookmark key, long value) => Put(stream, key, value);

    /// <summary>Sets a flag bookmark (true).</summary>
    internal void Set(string stream, FlagBookmark key) => Put(stream, key, true);

    /// <summary>Removes a bookmark.</summary>
    internal void Clear(string stream, BookmarkKey key) => (BookmarksObject[stream] as JsonObject)?.Remove(key.Name);

    private void Put(string stream, BookmarkKey key, JsonNode? value)
    {
        if (BookmarksObject[stream] is not JsonObject sb) BookmarksObject[stream] = sb = new JsonObject();
        sb[key.Name] = value;
    }

    /// <summary>Replaces the bookmarks of <paramref name="streams"/> with copies of those in <paramref name="from"/> (a stream
    /// that has none there loses its own): how one unit's progress is committed into the state a tap writes.</summary>
    /// <param name="from">The unit's working state.</param>
    /// <param name="streams">The streams whose bookmarks that unit owns.</param>
    public void TakeBookmarks(TapState from, IEnumerable<string> streams)
    {
        foreach (var stream in streams)
        {
            if (from.BookmarksObject[stream] is { } value) BookmarksObject[stream] = value.DeepClone();
            else BookmarksObject.Remove(stream);
        }
    }

    /// <summary>A copy to put in a STATE message (the consumer owns it).</summary>
    public JsonObject Snapshot() => (JsonObject)_root.DeepClone();
}
