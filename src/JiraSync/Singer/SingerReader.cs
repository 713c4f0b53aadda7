using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using JiraSync.Errors;

namespace JiraSync.Singer;

/// <summary>
/// Reads Singer messages, one JSON object per line (target mode's stdin). Types are case-insensitive
/// (Singer SPEC); unknown types are skipped. A malformed line fails naming the source and line number.
/// (Interim version on the load branch; the tap branch owns the full one with the same API.)
/// </summary>
public sealed class SingerReader(TextReader input, string sourceName = "stdin")
{
    public long LineNumber { get; private set; }
    public long UnknownMessagesSkipped { get; private set; }

    public async IAsyncEnumerable<SingerMessage> ReadAllAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        while (await input.ReadLineAsync(ct) is { } line)
        {
            LineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            if (ParseLine(line) is { } message) yield return message;
        }
    }

    public SingerMessage? ParseLine(string line)
    {
        JsonObject obj;
        try { obj = JsonNode.Parse(line) as JsonObject ?? throw Fail("not a JSON object"); }
        catch (JsonException ex) { throw Fail($"not JSON ({ex.Message.Split(" LineNumber")[0].TrimEnd('.')})"); }
        var type = Text(obj, "type") ?? throw Fail("message has no \"type\"");
        switch (type.ToUpperInvariant())
        {
            case "SCHEMA":
                return new SchemaMessage(Required(obj, "stream"), obj["schema"] as JsonObject ?? throw Fail("SCHEMA has no \"schema\" object"),
                    Strings(obj, "key_properties"), Strings(obj, "bookmark_properties"));
            case "RECORD":
                var stream = Required(obj, "stream");
                var record = obj["record"] as JsonObject ?? throw Fail($"RECORD for '{stream}' has no \"record\" object");
                obj.Remove("record");
                var extracted = DateTimeOffset.UtcNow;
                if (Text(obj, "time_extracted") is { } te && !DateTimeOffset.TryParse(te, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out extracted))
                    throw Fail($"RECORD time_extracted '{te}' is not a date-time");
                return new RecordMessage(stream, record, extracted, obj["version"] is JsonValue v && v.TryGetValue<long>(out var ver) ? ver : null);
            case "STATE":
                if (obj["value"] is not JsonObject state) throw Fail("STATE value is not a JSON object");
                obj.Remove("value");
                return new StateMessage(state);
            case "ACTIVATE_VERSION":
                return new ActivateVersionMessage(Required(obj, "stream"),
                    obj["version"] is JsonValue av && av.TryGetValue<long>(out var version) ? version : throw Fail("ACTIVATE_VERSION has no integer \"version\""));
            default:
                UnknownMessagesSkipped++;
                return null;
        }
    }

    private JiraSyncException Fail(string what) => new RunFailedException($"{sourceName} line {LineNumber}: {what}");

    private static string? Text(JsonObject obj, string name) => obj[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private string Required(JsonObject obj, string name) => Text(obj, name) ?? throw Fail($"message has no \"{name}\"");

    private List<string> Strings(JsonObject obj, string name) => obj[name] switch
    {
        null => [],
        JsonArray a => a.Select(x => x is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw Fail($"\"{name}\" holds a non-string")).ToList(),
        _ => throw Fail($"\"{name}\" is not an array"),
    };
}
