using System.Buffers;
using System.Text.Json;

namespace JiraSync.Jira.Paging;

/// <summary>
/// One page of a list read item by item: each item in a JSON document of its own, and the envelope (the answer's
/// other properties: total, nextPageToken, isLast…). An issue of a few dozen KB then lives below the large object
/// heap and is freed when its record is written, instead of a multi-MB page living until its last item is written
/// and then lingering on the large object heap until a full collection (bench/RESULTS.md "Memory").
/// </summary>
/// <param name="Items">The items, in the answer's order.</param>
/// <param name="Envelope">A JSON object with every property of the answer but the items.</param>
public sealed record ItemPage(List<JsonElement> Items, JsonElement Envelope)
{
    /// <summary>Splits an answer already parsed whole.</summary>
    /// <param name="answer">The answer.</param>
    /// <param name="itemsKey">Where the items sit.</param>
    /// <param name="url">The request, for the error.</param>
    /// <exception cref="JiraRequestException">No array under <paramref name="itemsKey"/>.</exception>
    public static ItemPage Of(JsonElement answer, string itemsKey, string url) =>
        new(PageEnvelope.Items(answer, itemsKey, url), answer);

    /// <summary>Reads an answer's text item by item, with no document of the whole page: each item is parsed into its
    /// own exactly sized document; the other properties are copied into the envelope.</summary>
    /// <param name="json">The answer's text (e.g. pooled memory, not referred to afterwards).</param>
    /// <param name="itemsKey">Where the items sit.</param>
    /// <param name="url">The request, for the error.</param>
    /// <exception cref="JiraRequestException">The answer is not an object with an array under <paramref name="itemsKey"/>.</exception>
    /// <exception cref="JsonException">The text is not one JSON value.</exception>
    internal static ItemPage Read(in ReadOnlySequence<byte> json, string itemsKey, string url)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw PageEnvelope.Unexpected(url, $"no \"{itemsKey}\" array");
        List<JsonElement>? items = null;
        var rest = new ArrayBufferWriter<byte>();
        using (var envelope = new Utf8JsonWriter(rest))
        {
            envelope.WriteStartObject();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isItems = items is null && reader.ValueTextEquals(itemsKey);
                var name = isItems ? null : reader.GetString()!;
                reader.Read();
                if (isItems && reader.TokenType == JsonTokenType.StartArray)
                {
                    items = [];
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray) items.Add(JsonElement.ParseValue(ref reader));
                    continue;
                }
                envelope.WritePropertyName(name ?? itemsKey);
                JsonElement.ParseValue(ref reader).WriteTo(envelope);
            }
            envelope.WriteEndObject();
        }
        // Only white space may follow the object (Read throws on anything else), as JsonDocument.Parse demands.
        if (reader.Read()) throw new JsonException("more than one JSON value");
        if (items is null) throw PageEnvelope.Unexpected(url, $"no \"{itemsKey}\" array");
        var envelopeReader = new Utf8JsonReader(rest.WrittenSpan);
        return new ItemPage(items, JsonElement.ParseValue(ref envelopeReader));
    }
}
