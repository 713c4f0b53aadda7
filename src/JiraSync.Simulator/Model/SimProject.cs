namespace JiraSync.Simulator.Model;

public sealed class SimProject
{
    public required long Id { get; init; }
    public required string Key { get; init; }
    public required string Name { get; init; }
    public required string Description { get; init; }
    public required string TypeKey { get; init; }
    public long? CategoryId { get; init; }
    public required int LeadIndex { get; init; }
    /// <summary>The user has no Browse permission: 404 on its endpoints, absent from search.</summary>
    public bool Hidden { get; init; }
    public List<SimVersion> Versions { get; } = [];
    public List<SimComponent> Components { get; } = [];
    public int NextIssueNumber { get; set; } = 1;
}
