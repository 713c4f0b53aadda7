using System.Text.Json.Nodes;
using JiraSync.Errors;
using JiraSync.Singer;

namespace JiraSync.Loading;

/// <summary>
/// The table a stream loads into: one column per top-level property of the SCHEMA message (and only those,
/// so deselected properties get no column), typed from JSON Schema, plus the _sdc metadata columns.
/// </summary>
public sealed record TableSchema(string Stream, IReadOnlyList<ColumnSpec> Columns, IReadOnlyList<string> KeyProperties, string? Description)
{
    public const string ExtractedAt = "_sdc_extracted_at";
    public const string BatchedAt = "_sdc_batched_at";
    public const string DeletedAt = "_sdc_deleted_at";
    public const string Sequence = "_sdc_sequence";
    public const string TableVersion = "_sdc_table_version";

    /// <summary>Columns every table has, after the data columns. A record's own "_sdc_deleted_at" feeds the
    /// column of that name; the others are set by the loader.</summary>
    public static readonly IReadOnlyList<ColumnSpec> MetadataColumns =
    [
        new(ExtractedAt, ColumnType.Timestamp, "When the record was read from the source"),
        new(BatchedAt, ColumnType.Timestamp, "When the batch holding this row version was committed"),
        new(DeletedAt, ColumnType.Timestamp, "When the record was found deleted at the source; null while it exists"),
        new(Sequence, ColumnType.BigInt, "Load order of this row version"),
        new(TableVersion, ColumnType.BigInt, "Singer table version of a full-table sync (ACTIVATE_VERSION)"),
    ];

    public static bool IsMetadata(string name) => MetadataColumns.Any(c => c.Name == name);

    public bool HasKey => KeyProperties.Count > 0;

    /// <summary>Data columns followed by metadata columns, in table order.</summary>
    public IEnumerable<ColumnSpec> AllColumns => Columns.Concat(MetadataColumns);

    public static TableSchema From(SchemaMessage message)
    {
        if (message.Schema["properties"] is not JsonObject properties)
            throw new RunFailedException($"SCHEMA for stream '{message.Stream}' has no \"properties\" object");
        var columns = new List<ColumnSpec>();
        foreach (var (name, node) in properties)
        {
            if (IsMetadata(name)) continue; // a tap may declare _sdc_deleted_at; it maps onto our metadata column
            columns.Add(new ColumnSpec(name, JsonSchemaTypes.ColumnTypeOf(node), Describe(node)));
        }
        foreach (var key in message.KeyProperties)
            if (!columns.Any(c => c.Name == key))
                throw new RunFailedException($"SCHEMA for stream '{message.Stream}' names key property '{key}' that is not among its properties");
        return new TableSchema(message.Stream, columns, message.KeyProperties.ToArray(), Describe(message.Schema));
    }

    /// <summary>Same table shape (names, types, keys), ignoring comments.</summary>
    public bool SameShape(TableSchema other) =>
        Columns.Select(c => (c.Name, c.Type)).SequenceEqual(other.Columns.Select(c => (c.Name, c.Type)))
        && KeyProperties.SequenceEqual(other.KeyProperties);

    public ColumnSpec? Column(string name) => Columns.FirstOrDefault(c => c.Name == name);

    private static string? Describe(JsonNode? node) =>
        node is JsonObject o && o["description"] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;
}
