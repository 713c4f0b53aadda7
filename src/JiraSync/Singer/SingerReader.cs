using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;
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
/// Lines are parsed as UTF-8 straight from the input's bytes (no text decoding); a record keeps its parsed form
/// (<see cref="RecordMessage.Parsed"/>) so the loader reads values and raw JSON from it without building a tree.
/// </summary>
public sealed class SingerReader
{
    private readonly HashSet<string> _streamsWithSchema = new(StringComparer.Ordinal);
    private readonly TextReader? _text;
    private readonly Stream? _bytes;
    private readonly string _sourceName;

    /// <summary>Reads lines of text (tests, small inputs).</summary>
    /// <param name="input">The lines.</param>
    /// <param name="sourceName">How errors name the input ("stdin", a file name).</param>
    public SingerReader(TextReader input, string sourceName = "stdin")
    {
        _text = input;
        _sourceName = sourceName;
    }

    /// <summary>Reads UTF-8 lines from a stream (target mode's stdin): the fast path, no text decoding.</summary>
    /// <param name="input">The UTF-8 input; lines end with "\n" or "\r\n".</param>
    /// <param name="sourceName">How errors name the input.</param>
    public SingerReader(Stream input, string sourceName = "stdin")
    {
        _bytes = input;
        _sourceName = sourceName;
    }

    /// <summary>The number of the line read last (1-based).</summary>
    public long LineNumber { get; private set; }
    /// <summary>Lines whose message type this reader does not know.</summary>
    public long UnknownMessagesSkipped { get; private set; }

    /// <summary>The messages of the input, in order. Throws <see cref="SingerFormatException"/> at a malformed line.</summary>
    public async IAsyncEnumerable<SingerMessage> ReadAllAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        if (_text is not null)
        {
            while (await _text.ReadLineAsync(ct) is { } line)
            {
                LineNumber++;
                if (string.IsNullOrWhiteSpace(line)) continue;
                var message = ParseLine(line);
                if (message != null) yield return message;
            }
            yield break;
        }
        var buffer = new byte[1 << 16];
        int start = 0, end = 0, scanned = 0;
        var eof = false;
        while (true)
        {
            var newline = buffer.AsSpan(scanned, end - scanned).IndexOf((byte)'\n');
            if (newline < 0 && !eof)
            {
                // Keep the partial line; make room (or a bigger buffer for a long line) and read on.
                if (start > 0)
                {
                    Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                    (end, scanned, start) = (end - start, end - start, 0);
                }
                else scanned = end;
                if (end == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
                var n = await _bytes!.ReadAsync(buffer.AsMemory(end), ct);
                if (n == 0) eof = true;
                end += n;
                continue;
            }
            if (newline < 0 && start == end) yield break;
            var lineEnd = newline < 0 ? end : scanned + newline;
            LineNumber++;
            var message = ParseLine(buffer, start, lineEnd);
            start = scanned = newline < 0 ? end : lineEnd + 1;
            if (message != null) yield return message;
        }
    }

    private SingerMessage? ParseLine(byte[] buffer, int start, int end)
    {
        var line = buffer.AsSpan(start, end - start);
        if (LineNumber == 1 && line.StartsWith("\uFEFF"u8)) line = line[3..]; // a UTF-8 byte order mark
        return line.Trim(" \t\r"u8).IsEmpty ? null : ParseLine(line);
    }

    /// <summary>Parses one line; null for a message type this reader does not know.</summary>
    /// <param name="line">The line, without its line end.</param>
    public SingerMessage? ParseLine(string line) => ParseLine(Encoding.UTF8.GetBytes(line));

    /// <summary>Parses one line of UTF-8; null for a message type this reader does not know. Throws
    /// <see cref="SingerFormatException"/> naming the line when it is not a Singer message.</summary>
    /// <param name="line">The line's bytes, without its line end.</param>
    public SingerMessage? ParseLine(ReadOnlySpan<byte> line)
    {
        // Not UTF-8: read as text decoders do (invalid bytes become U+FFFD). The parser itself only notices when a
        // string is read, too late for a clear message.
        if (!Utf8.IsValid(line)) return ParseLine(Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(line)));
        JsonElement obj;
        try
        {
            var reader = new Utf8JsonReader(line);
            if (!reader.Read()) throw Fail("not JSON (no value)");
            if (reader.TokenType != JsonTokenType.StartObject) throw Fail("not a JSON object");
            // A copy the message owns (records outlive the line's buffer), with its index built once.
            obj = JsonElement.ParseValue(ref reader);
            if (reader.Read()) throw Fail("not JSON (more after the object)");
        }
        catch (JsonException ex) { throw Fail($"not JSON ({JsonErrorText.Reason(ex)})", ex); }

        var type = obj.StringProperty("type") ?? throw Fail("message has no \"type\"");
        switch (type.ToUpperInvariant())
        {
            case "SCHEMA":
            {
                var stream = RequiredText(obj, "stream", type);
                if (!obj.TryGetProperty("schema", out var schema) || schema.ValueKind != JsonValueKind.Object)
                    throw Fail($"SCHEMA for '{stream}' has no \"schema\" object");
                _streamsWithSchema.Add(stream);
                return new SchemaMessage(stream, JsonObject.Create(schema)!, Strings(obj, "key_properties"), Strings(obj, "bookmark_properties"));
            }
            case "RECORD":
            {
                var stream = RequiredText(obj, "stream", type);
                if (!_streamsWithSchema.Contains(stream)) throw Fail($"RECORD for stream '{stream}' before its SCHEMA");
                if (!obj.TryGetProperty("record", out var record) || record.ValueKind != JsonValueKind.Object)
                    throw Fail($"RECORD for '{stream}' has no \"record\" object");
                var extracted = DateTimeOffset.UtcNow;
                if (obj.StringProperty("time_extracted") is { } te && !SingerTime.TryParse(te, out extracted))
                    throw Fail($"RECORD time_extracted '{te}' is not a date-time");
                // The tree view is built only if someone reads it (the jsonl destination); SQL loads read Parsed.
                return new RecordMessage(stream, JsonObject.Create(record)!, extracted, OptionalLong(obj, "version")) { Parsed = record };
            }
            case "STATE":
            {
                if (!obj.TryGetProperty("value", out var value) || value.ValueKind == JsonValueKind.Null) throw Fail("STATE has no \"value\"");
                if (value.ValueKind != JsonValueKind.Object) throw Fail("STATE value is not a JSON object");
                return new StateMessage(JsonObject.Create(value)!);
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

    private SingerFormatException Fail(string what, Exception? inner = null) => new($"{_sourceName} line {LineNumber}: {what}", inner);

    private string RequiredText(JsonElement obj, string name, string type) =>
        obj.StringProperty(name) ?? throw Fail($"{type.ToUpperInvariant()} has no \"{name}\"");

    private long? OptionalLong(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var l)) return l;
        if (v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var dbl) && dbl == Math.Floor(dbl)) return (long)dbl;
        throw Fail($"\"{name}\" is not an integer");
    }

    private List<string> Strings(JsonElement obj, string name)
    {
        var list = new List<string>();
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return list;
        if (v.ValueKind != JsonValueKind.Array) throw Fail($"\"{name}\" is not an array");
        foreach (var item in v.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String) list.Add(item.GetString()!);
            else throw Fail($"\"{name}\" holds a value that is not a string");
        }
        return list;
    }
}
