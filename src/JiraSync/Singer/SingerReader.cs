using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using JiraSync.Errors;
using JiraSync.Json;

namespace JiraSync.Singer;

/// <summary>
/// Reads Singer messages, one JSON object per line (target mode's stdin). Message types are
/// case-insensitive (Singer SPEC); unknown types are skipped and counted, as singer-python does.
/// Any malformed line fails with a <see cref="SingerFormatException"/> naming the source and line number.
/// A RECORD before its stream's SCHEMA is refused: real targets cannot load it (singer-notes.md §1).
/// </summary>
/// <param name="input">The lines to read (UTF-8 text).</param>
/// <param name="sourceName">Names the input in error messages, e.g. "stdin".</param>
public sealed class SingerReader(TextReader input, string sourceName = "stdin")
{
    private readonly HashSet<string> _streamsWithSchema = new(StringComparer.Ordinal);

    /// <summary>Lines read so far (1-based number of the last line), blank ones included.</summary>
    public long LineNumber { get; private set; }
    internal long UnknownMessagesSkipped { get; private set; }

    /// <summary>The messages in input order, until the input ends.</summary>
    /// <param name="ct">Stops reading.</param>
    /// <exception cref="SingerFormatException">A line is not JSON, not a message, lacks a required key, or is a RECORD
    /// before its stream's SCHEMA; the message names the source and the line.</exception>
    public async IAsyncEnumerable<SingerMessage> ReadAllAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        while (await input.ReadLineAsync(ct) is { } line)
        {
            LineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var message = ParseLine(line);
            if (message != null) yield return message;
        }
    }

    /// <summary>Parses one line; null for a message type this reader does not know.</summary>
    internal SingerMessage? ParseLine(string line)
    {
        JsonObject obj;
        try
        {
            obj = JsonNode.Parse(line) as JsonObject ?? throw Fail("not a JSON object");
        }
        catch (JsonException ex) { throw Fail($"not JSON ({JsonErrorText.Reason(ex)})", ex); }

        var type = Text(obj, "type") ?? throw Fail("message has no \"type\"");
        switch (type.ToUpperInvariant())
        {
            case "SCHEMA":
            {
                var stream = RequiredText(obj, "stream", type);
                var schema = obj["schema"] as JsonObject ?? throw Fail($"SCHEMA for '{stream}' has no \"schema\" object");
                obj.Remove("schema");
                _streamsWithSchema.Add(stream);
                return new SchemaMessage(stream, schema, Strings(obj, "key_properties"), Strings(obj, "bookmark_properties"));
            }
            case "RECORD":
            {
                var stream = RequiredText(obj, "stream", type);
                if (!_streamsWithSchema.Contains(stream)) throw Fail($"RECORD for stream '{stream}' before its SCHEMA");
                var record = obj["record"] as JsonObject ?? throw Fail($"RECORD for '{stream}' has no \"record\" object");
                obj.Remove("record");
                var extracted = DateTimeOffset.UtcNow;
                if (Text(obj, "time_extracted") is { } te && !SingerTime.TryParse(te, out extracted))
                    throw Fail($"RECORD time_extracted '{te}' is not a date-time");
                return new RecordMessage(stream, record, extracted, OptionalLong(obj, "version"));
            }
            case "STATE":
            {
                var value = obj["value"] ?? throw Fail("STATE has no \"value\"");
                if (value is not JsonObject state) throw Fail("STATE value is not a JSON object");
                obj.Remove("value");
                return new StateMessage(state);
            }
            case "ACTIVATE_VERSION":
            {
                var stream = RequiredText(obj, "stream", type);
                return new ActivateVersionMessage(stream, OptionalLong(obj, "version") ?? throw Fail("ACTIVATE_VERSION has no integer \"version\""));
            }
            default:
                UnknownMessagesSkipped++;
                return null;
        }
    }

    private SingerFormatException Fail(string what, Exception? inner = null) => new($"{sourceName} line {LineNumber}: {what}", inner);

    private static string? Text(JsonObject obj, string name) => obj.StringProperty(name);

    private string RequiredText(JsonObject obj, string name, string type) =>
        Text(obj, name) ?? throw Fail($"{type.ToUpperInvariant()} has no \"{name}\"");

    private long? OptionalLong(JsonObject obj, string name)
    {
        var node = obj[name];
        if (node is null) return null;
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var l)) return l;
        if (node is JsonValue d && d.GetValueKind() == JsonValueKind.Number && d.TryGetValue<double>(out var dbl) && dbl == Math.Floor(dbl)) return (long)dbl;
        throw Fail($"\"{name}\" is not an integer");
    }

    private List<string> Strings(JsonObject obj, string name)
    {
        var list = new List<string>();
        if (obj[name] is null) return list;
        if (obj[name] is not JsonArray arr) throw Fail($"\"{name}\" is not an array");
        foreach (var item in arr)
        {
            if (item is JsonValue v && v.TryGetValue<string>(out var s)) list.Add(s);
            else throw Fail($"\"{name}\" holds a value that is not a string");
        }
        return list;
    }
}
