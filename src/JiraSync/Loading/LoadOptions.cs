namespace JiraSync.Loading;

/// <summary>How the loader batches. A batch is committed at the first STATE after it reaches
/// <see cref="BatchRows"/> rows, or its rows hold <see cref="MemoryBudgetBytes"/>, or it has waited
/// <see cref="MaxBatchAge"/>; without STATE messages it is committed at <see cref="HardLimitFactor"/> times those
/// limits. SQL destinations hold rows as column values, which are sized exactly (<see cref="RowValues.SizeOf"/>), so
/// a batch of large issues is smaller in rows than one of small comments and the loader's memory stays flat however
/// much a site holds; for JSON records (the jsonl destination) the growth of the managed heap is measured instead
/// (sizing each record would mean walking, and so materializing, every parsed JSON tree).</summary>
public sealed record LoadOptions
{
    /// <summary>Rows per batch (committed at the next STATE after this many).</summary>
    public int BatchRows { get; init; } = 10_000;
    /// <summary>Memory, in bytes, held by a batch's rows that commits it at the next STATE (default 32 MB; one batch
    /// fills while the previous one commits, so about twice this is held).</summary>
    public long MemoryBudgetBytes { get; init; } = 32L << 20;
    /// <summary>Commit each batch in the background while the next one fills (at most one in flight).</summary>
    public bool Pipelined { get; init; } = true;
    /// <summary>How long a batch may wait for its commit (at the next STATE).</summary>
    public TimeSpan MaxBatchAge { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Without STATE messages, a batch is committed at this multiple of the row and memory limits.</summary>
    public int HardLimitFactor { get; init; } = 3;
    /// <summary>Check each RECORD against its SCHEMA (target mode; the in-process tap already conforms).</summary>
    public bool ValidateRecords { get; init; }
    /// <summary>Work that commits with each batch's rows in a SQL destination, e.g. derived tables (see <see cref="ISqlBatchHook"/>).</summary>
    public IReadOnlyList<ISqlBatchHook> SqlBatchHooks { get; init; } = [];
}
