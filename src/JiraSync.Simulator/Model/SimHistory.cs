namespace JiraSync.Simulator.Model;

/// <summary>A changelog history; its items are regenerated from Seed (or, for control updates,
/// describe the real status change recorded in FromStatus/ToStatus).</summary>
public sealed class SimHistory
{
    public required long Id { get; init; }
    public required long IssueId { get; init; }
    public required int AuthorIndex { get; init; }
    public required long CreatedMs { get; init; }
    public required int Seed { get; init; }
    public int FromStatus { get; init; } = -1;
    public int ToStatus { get; init; } = -1;
    /// <summary>When set, exactly these items are rendered (instead of the status change or seeded items).</summary>
    public IReadOnlyList<SimChangeItem>? Items { get; init; }
}
