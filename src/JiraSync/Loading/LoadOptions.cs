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
    /// <summary>Child streams whose rows are marked deleted with their parent's (see <see cref="DeletionCascade"/>).</summary>
    public IReadOnlyList<DeletionCascade> Cascades { get; init; } = [];
    /// <summary>Child streams re-sent in full with each parent record: children of a parent loaded in a batch
    /// that were not re-sent are marked deleted. Applied only to streams whose SCHEMA came in this run.</summary>
    public IReadOnlyList<DeletionCascade> SnapshotChildren { get; init; } = [];
}
