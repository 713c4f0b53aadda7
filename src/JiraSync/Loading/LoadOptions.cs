namespace JiraSync.Loading;

/// <summary>How the loader batches. A batch is committed at the first STATE after it reaches
/// <see cref="BatchRows"/> rows or <see cref="BatchBytes"/> bytes or has waited <see cref="MaxBatchAge"/>;
/// without STATE messages it is committed at <see cref="HardLimitFactor"/> times those limits.</summary>
public sealed record LoadOptions
{
    public int BatchRows { get; init; } = 20_000;
    public long BatchBytes { get; init; } = 32L << 20;
    public TimeSpan MaxBatchAge { get; init; } = TimeSpan.FromSeconds(30);
    public int HardLimitFactor { get; init; } = 4;
    /// <summary>Check each RECORD against its SCHEMA (target mode; the in-process tap already conforms).</summary>
    public bool ValidateRecords { get; init; }
}
