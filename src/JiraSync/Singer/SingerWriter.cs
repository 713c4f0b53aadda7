using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace JiraSync.Singer;

/// <summary>
/// Writes Singer messages as one JSON object per line with a Utf8JsonWriter (no intermediate strings).
/// Output is buffered for throughput and flushed after every STATE message, because a STATE line is
/// what an orchestrator persists: everything before it must have reached the consumer.
/// Not thread-safe: one writer per output, fed from one channel reader.
/// </summary>
public sealed class SingerWriter : IAsyncDisposable, IDisposable
{
    private static readonly JsonWriterOptions Options = new()
    {
        // Relaxed escaping keeps non-ASCII text readable; the output is still valid UTF-8 JSON.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };
    private static readonly byte[] Newline = "\n"u8.ToArray();

    private readonly Stream _stream;
    private readonly bool _ownsStream;
    private readonly Utf8JsonWriter _json;

    /// <summary>A writer onto <paramref name="stream"/>, buffering 64 KiB.</summary>
    /// <param name="stream">Where the lines go (stdout in tap mode).</param>
    /// <param name="ownsStream">Dispose <paramref name="stream"/> with the writer.</param>
    public SingerWriter(Stream stream, bool ownsStream = false)
    {
        _stream = new BufferedStream(stream, 1 << 16);
        _ownsStream = ownsStream;
        _json = new Utf8JsonWriter(_stream, Options);
    }

    internal long MessagesWritten { get; private set; }

    /// <summary>Writes one message as a line of JSON in Singer's wire form (type, stream, record, time_extracted in
    /// RFC 3339 UTC…); flushes after a STATE.</summary>
    /// <param name="message">A <see cref="SchemaMessage"/>, <see cref="RecordMessage"/>, <see cref="StateMessage"/> or
    /// <see cref="ActivateVersionMessage"/>.</param>
    /// <exception cref="ArgumentException">Another message type.</exception>
    /// <exception cref="IOException">The output failed (e.g. the reading process closed the pipe).</exception>
    public void Write(SingerMessage message)
    {
        _json.Reset(_stream);
        _json.WriteStartObject();
        switch (message)
        {
            case SchemaMessage s:
                _json.WriteString("type", "SCHEMA");
                _json.WriteString("stream", s.Stream);
                _json.WritePropertyName("schema");
                s.Schema.WriteTo(_json);
                WriteStrings("key_properties", s.KeyProperties);
                WriteStrings("bookmark_properties", s.BookmarkProperties);
                break;
            case RecordMessage r:
                _json.WriteString("type", "RECORD");
                _json.WriteString("stream", r.Stream);
                _json.WritePropertyName("record");
                r.Record.WriteTo(_json);
                if (r.Version is { } v) _json.WriteNumber("version", v);
                _json.WriteString("time_extracted", SingerTime.Format(r.TimeExtracted));
                break;
            case StateMessage st:
                _json.WriteString("type", "STATE");
                _json.WritePropertyName("value");
                st.Value.WriteTo(_json);
                break;
            case ActivateVersionMessage a:
                _json.WriteString("type", "ACTIVATE_VERSION");
                _json.WriteString("stream", a.Stream);
                _json.WriteNumber("version", a.Version);
                break;
            default:
                throw new ArgumentException($"unknown Singer message type {message.GetType().Name}");
        }
        _json.WriteEndObject();
        _json.Flush();
        _stream.Write(Newline);
        MessagesWritten++;
        if (message is StateMessage) _stream.Flush();
    }

    private void WriteStrings(string name, IReadOnlyList<string> values)
    {
        _json.WriteStartArray(name);
        foreach (var v in values) _json.WriteStringValue(v);
        _json.WriteEndArray();
    }

    /// <summary>Writes every message from the channel until it completes (tap mode's stdout pump).</summary>
    internal async Task WriteAllAsync(System.Threading.Channels.ChannelReader<SingerMessage> reader, CancellationToken ct = default)
    {
        await foreach (var message in reader.ReadAllAsync(ct)) Write(message);
        _stream.Flush();
    }

    /// <summary>Pushes buffered lines to the stream.</summary>
    public void Flush() => _stream.Flush();

    /// <summary>Flushes, and disposes the stream if the writer owns it.</summary>
    public void Dispose()
    {
        _json.Dispose();
        _stream.Flush();
        if (_ownsStream) _stream.Dispose();
    }

    /// <summary>As <see cref="Dispose"/>.</summary>
    public ValueTask DisposeAsync() { Dispose(); return ValueTask.CompletedTask; }
}
