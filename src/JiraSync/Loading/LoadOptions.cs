namespace JiraSync.Loading;

/// <summary>How the loader batches. A batch is committed at the first STATE after it reaches
/// <see cref="BatchRows"/> rows, or the rows held grew the managed heap by <see cref="MemoryBudgetBytes"/>, or it
/// has waited <see cref="MaxBatchAge"/>; without STATE messages it is committed at <see cref="HardLimitFactor"/>
/// times those limits. Memory is measured rather than estimated: sizing each record would mean walking
/// (and so materializing) every parsed JSON tree.</summary>
public sealed record LoadOptions
{
    /// <summary>Rows per batch (committed at the next STATE after this many).</summary>
    public int BatchRows { get; init; } = 10_000;
    /// <summary>Managed heap growth, in bytes, that commits the batch at the next STATE (default 128 MB).</summary>
    public long MemoryBudgetBytes { get; init; } = 128L << 20;
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
