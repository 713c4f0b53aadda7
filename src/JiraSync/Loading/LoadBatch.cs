using System.Text.Json.Nodes;

namespace JiraSync.Loading;

/// <summary>One record waiting to be loaded, with the metadata the loader adds: either the JSON record, or
/// (for SQL destinations) its data column values, converted on arrival while the record is hot in the cache
/// and far smaller than its JSON tree.</summary>
/// <param name="Record">The RECORD's object; null when <paramref name="Values"/> holds the converted row.</param>
/// <param name="Values">Data column values in <see cref="TableSchema.Columns"/> order; null when the JSON is kept.</param>
/// <param name="ExtractedAt">The RECORD's time_extracted (<c>_sdc_extracted_at</c>).</param>
/// <param name="Version">The RECORD's Singer table version, if any (<c>_sdc_table_version</c>).</param>
/// <param name="Sequence">Load order (<c>_sdc_sequence</c>).</param>
/// <param name="DeletedAt">When the source deleted it (<c>_sdc_deleted_at</c>); null for a live row.</param>
/// <param name="Status">Why the row is no longer live (<see cref="Singer.RowStatus"/>); null for a live row.</param>
public sealed record StagedRow(JsonObject? Record, object?[]? Values, DateTimeOffset ExtractedAt, long? Version, long Sequence, DateTimeOffset? DeletedAt, string? Status = null);

/// <summary>The pending rows of one stream, at most one per key (the latest wins).</summary>
/// <param name="Table">The stream's table as the destination has it.</param>
/// <param name="Rows">The rows, in arrival order.</param>
public sealed record StreamBatch(TableSchema Table, IReadOnlyList<StagedRow> Rows);

/// <summary>An ACTIVATE_VERSION: rows of the stream with an older (or no) version are marked deleted.</summary>
/// <param name="Stream">The stream (table).</param>
/// <param name="Version">The Singer table version now current.</param>
public sealed record VersionActivation(string Stream, long Version);

/// <summary>What a destination commits in ONE transaction: rows of every pending stream, then version
/// activations, then the state that covers them. Either all of it is visible afterwards or none.</summary>
/// <param name="Streams">Each pending stream's rows.</param>
/// <param name="Activations">ACTIVATE_VERSION messages received, in order.</param>
/// <param name="State">The latest STATE, stored with the rows; null when none came since the last batch.</param>
/// <param name="BatchedAt">The batch's time (<c>_sdc_batched_at</c>, microsecond precision, UTC).</param>
/// <param name="Number">1 for the load's first batch, then 2, 3, …</param>
public sealed record LoadBatch(
    IReadOnlyList<StreamBatch> Streams,
    IReadOnlyList<VersionActivation> Activations,
    JsonObject? State,
    DateTimeOffset BatchedAt,
    long Number)
{
    /// <summary>Parent → child deletion links (from the parents' SCHEMA hints) to apply when a parent stream had rows marked deleted.</summary>
    public IReadOnlyList<DeletionCascade> Cascades { get; init; } = [];
    /// <summary>Parent → child links where the child set is complete per parent record
    /// (<see cref="Singer.SchemaHints.ChildLink.ResentWithParent"/>; both streams' SCHEMA came in this run).</summary>
    public IReadOnlyList<DeletionCascade> SnapshotChildren { get; init; } = [];
    /// <summary>Work a SQL destination runs inside this batch's transaction after its rows (see <see cref="ISqlBatchHook"/>).</summary>
    public IReadOnlyList<ISqlBatchHook> SqlBatchHooks { get; init; } = [];
}

/// <summary>Per-stream effect of loading (for progress and the loading report).</summary>
public sealed class StreamCounts
{
    /// <summary>Records received from the source (before de-duplication by key within a batch).</summary>
    public long Received { get; set; }
    /// <summary>Rows inserted (keys new to the table).</summary>
    public long Inserted { get; set; }
    /// <summary>Rows updated (keys already in the table).</summary>
    public long Updated { get; set; }
    /// <summary>Rows newly marked deleted (deletion records, version activations, cascades, children not re-sent).</summary>
    public long MarkedDeleted { get; set; }

    /// <summary>Adds another count to this one.</summary>
    /// <param name="other">The counts to add.</param>
    public void Add(StreamCounts other)
    {
        Received += other.Received;
        Inserted += other.Inserted;
        Updated += other.Updated;
        MarkedDeleted += other.MarkedDeleted;
    }
}

/// <summary>Rows and deleted-marked rows of a destination table (for the loading report).</summary>
/// <param name="Table">The table name.</param>
/// <param name="Rows">All rows, live and marked deleted.</param>
/// <param name="Deleted">Rows with <c>_sdc_deleted_at</c> set.</param>
public sealed record TableRowCount(string Table, long Rows, long Deleted);
