namespace JiraSync.Loading;

/// <summary>How the loader batches. A batch is committed at the first STATE after it reaches
/// <see cref="BatchRows"/> rows, or the rows held grew the managed heap by <see cref="MemoryBudgetBytes"/>, or it
/// has waited <see cref="MaxBatchAge"/>; without STATE messages it is committed at <see cref="HardLimitFactor"/>
/// times those limits. Memory is measured rather than estimated: sizing each record would mean walking
/// (and so materializing) every parsed JSON tree.</summary>
public sealed record LoadOptions
{
    public int BatchRows { get; init; } = 10_000;
    public long MemoryBudgetBytes { get; init; } = 128L << 20;
    /// <summary>Commit each batch in the background while the next one fills (at most one in flight).</summary>
    public bool Pipelined { get; init; } = true;
    public TimeSpan MaxBatchAge { get; init; } = TimeSpan.FromSeconds(30);
    public int HardLimitFactor { get; init; } = 3;
    /// <summary>Check each RECORD against its SCHEMA (target mode; the in-process tap already conforms).</summary>
    public bool ValidateRecords { get; init; }
    /// <summary>Work that commits with each batch's rows in a SQL destination, e.g. derived tables (see <see cref="ISqlBatchHook"/>).</summary>
    public IReadOnlyList<ISqlBatchHook> SqlBatchHooks { get; init; } = [];
}
