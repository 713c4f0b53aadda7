using System.Text;
using System.Text.Json.Nodes;
using JiraSync.Errors;
using JiraSync.Singer;

namespace JiraSync.Loading;

/// <summary>
/// The table a stream loads into: one column per top-level property of the SCHEMA message (and only those,
/// so deselected properties get no column), typed from JSON Schema, plus the _sdc metadata columns. An object
/// property marked <see cref="SchemaHints.Flatten"/> keeps its JSON column and also gets one typed column per
/// declared sub-property, <c>{property}__{sub-property}</c>. The mapping is resolved here, once per SCHEMA.
/// </summary>
/// <param name="Stream">The stream, which is also the table name.</param>
/// <param name="Columns">The data columns, in the SCHEMA's property order (metadata columns not included).</param>
/// <param name="KeyProperties">The SCHEMA's key_properties; empty for an append-only table.</param>
/// <param name="Description">The schema's "description", stored as the table comment; null for none.</param>
public sealed record TableSchema(string Stream, IReadOnlyList<ColumnSpec> Columns, IReadOnlyList<string> KeyProperties, string? Description)
{
    /// <summary>Column: when the record was read from the source (the RECORD's time_extracted, else when the loader read it; UTC).</summary>
    public const string ExtractedAt = "_sdc_extracted_at";
    /// <summary>Column: when the batch holding this row version was committed (UTC).</summary>
    public const string BatchedAt = "_sdc_batched_at";
    /// <summary>Column: when the record was found deleted at the source (UTC); null while it exists.</summary>
    public const string DeletedAt = "_sdc_deleted_at";
    /// <summary>Column: load order of this row version (increases with every row loaded, across runs: it starts from the load's start
    /// time in microseconds since the Unix epoch).</summary>
    public const string Sequence = "_sdc_sequence";
    /// <summary>Column: the Singer table version of a full-table sync (ACTIVATE_VERSION); null otherwise.</summary>
    public const string TableVersion = "_sdc_table_version";

    /// <summary>Columns every table has, after the data columns. A record's own "_sdc_deleted_at" and "_jirasync_status"
    /// feed the columns of those names (<see cref="RowStatus"/>); the others are set by the loader.</summary>
    public static readonly IReadOnlyList<ColumnSpec> MetadataColumns =
    [
        new(ExtractedAt, ColumnType.Timestamp, "When the record was read from the source"),
        new(BatchedAt, ColumnType.Timestamp, "When the batch holding this row version was committed"),
        new(DeletedAt, ColumnType.Timestamp, "When the record was found deleted at the source; null while it exists"),
        new(Sequence, ColumnType.BigInt, "Load order of this row version"),
        new(TableVersion, ColumnType.BigInt, "Singer table version of a full-table sync (ACTIVATE_VERSION)"),
        new(RowStatus.Column, ColumnType.Text, "Why the row is no longer live: deleted, no_access, archived; moved for an issue that changed project; null for other live rows"),
    ];

    /// <summary>PostgreSQL truncates longer identifiers (NAMEDATALEN 64), which would make two names one.</summary>
    public const int MaxFlattenedNameBytes = 63;

    /// <summary>Flattened columns per table, so a Jira site with thousands of custom fields stays under PostgreSQL's
    /// 1600 columns per table; fields past it are still in the object's JSON column.</summary>
    public const int MaxFlattenedColumns = 1400;

    /// <summary>Whether <paramref name="name"/> is one of <see cref="MetadataColumns"/>.</summary>
    /// <param name="name">A column or property name.</param>
    public static bool IsMetadata(string name) => MetadataColumns.Any(c => c.Name == name);

    /// <summary>Whether the SCHEMA named key properties (without them rows are appended, never upserted).</summary>
    public bool HasKey => KeyProperties.Count > 0;

    /// <summary>Data columns followed by metadata columns, in table order.</summary>
    public IEnumerable<ColumnSpec> AllColumns => Columns.Concat(MetadataColumns);

    /// <summary>The table for a Singer SCHEMA message (Singer spec: "properties" and "key_properties").</summary>
    /// <param name="message">The stream's SCHEMA.</param>
    /// <exception cref="RunFailedException">The schema has no "properties" object, or names a key property it does
    /// not declare.</exception>
    public static TableSchema From(SchemaMessage message)
    {
        if (message.Schema["properties"] is not JsonObject properties)
            throw new RunFailedException($"SCHEMA for stream '{message.Stream}' has no \"properties\" object");
        var columns = new List<ColumnSpec>();
        var flattened = 0;
        foreach (var (name, node) in properties)
        {
            if (IsMetadata(name)) continue; // a tap may declare _sdc_deleted_at; it maps onto our metadata column
            columns.Add(new ColumnSpec(name, JsonSchemaTypes.ColumnTypeOf(node), Describe(node)));
            if (!SchemaHints.IsFlattened(node) || node!["properties"] is not JsonObject subs) continue;
            foreach (var (sub, subNode) in subs)
            {
                var column = name + SchemaHints.FlattenSeparator + sub;
                // A top-level property of the same name wins; an over-long or excess name stays in the JSON only.
                if (properties.ContainsKey(column) || IsMetadata(column) || Encoding.UTF8.GetByteCount(column) > MaxFlattenedNameBytes
                    || flattened >= MaxFlattenedColumns) continue;
                columns.Add(new ColumnSpec(column, JsonSchemaTypes.ColumnTypeOf(subNode), Describe(subNode), new ColumnSource(name, sub)));
                flattened++;
            }
        }
        foreach (var key in message.KeyProperties)
            if (!columns.Any(c => c.Name == key))
                throw new RunFailedException($"SCHEMA for stream '{message.Stream}' names key property '{key}' that is not among its properties");
        return new TableSchema(message.Stream, columns, message.KeyProperties.ToArray(), Describe(message.Schema));
    }

    /// <summary>The same table with one column's type replaced (a flattened column widened to text).</summary>
    /// <param name="index">Position in <see cref="Columns"/>.</param>
    /// <param name="type">The new type.</param>
    public TableSchema WithColumnType(int index, ColumnType type) =>
        this with { Columns = Columns.Select((c, i) => i == index ? c with { Type = type } : c).ToArray() };

    /// <summary>Same table shape (names, types, keys), ignoring comments.</summary>
    /// <param name="other">The table to compare with.</param>
    public bool SameShape(TableSchema other) =>
        Columns.Select(c => (c.Name, c.Type)).SequenceEqual(other.Columns.Select(c => (c.Name, c.Type)))
        && KeyProperties.SequenceEqual(other.KeyProperties);

    /// <summary>The data column of that name, or null.</summary>
    /// <param name="name">Exact (case-sensitive) column name.</param>
    public ColumnSpec? Column(string name) => Columns.FirstOrDefault(c => c.Name == name);

    private static string? Describe(JsonNode? node) =>
        node is JsonObject o && o["description"] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;
}
