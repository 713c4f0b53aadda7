namespace JiraSync.Simulator.Model;

/// <summary>An issue, stored compactly: reference data by index, text regenerated from TextSeed on
/// render, so tens of thousands of issues with children fit in little memory.</summary>
public sealed class SimIssue
{
    public required long Id { get; init; }
    public required SimProject Project { get; set; }
    /// <summary>The current key; a move gives a new one (old keys keep resolving through the store).</summary>
    public required string Key { get; set; }
    public required int TextSeed { get; init; }
    public int TypeIndex { get; set; }
    public int StatusIndex { get; set; }
    public int PriorityIndex { get; set; }
    /// <summary>-1 = unresolved (renders as null).</summary>
    public int ResolutionIndex { get; set; } = -1;
    /// <summary>-1 = unassigned (renders as null).</summary>
    public int AssigneeIndex { get; set; } = -1;
    public int ReporterIndex { get; set; }
    public long CreatedMs { get; set; }
    public long UpdatedMs { get; set; }
    public long? ResolutionMs { get; set; }
    public long? DueMs { get; set; }
    public long? ComponentId { get; set; }
    public long? FixVersionId { get; set; }
    public int LabelMask { get; set; }
    /// <summary>Bumped by every control update so the summary and custom values visibly change.</summary>
    public int Revision { get; set; }
    public bool Deleted { get; set; }
    public List<SimComment> Comments { get; } = [];
    public List<SimWorklog> Worklogs { get; } = [];
    public List<SimHistory> Histories { get; } = [];
    /// <summary>The Sprint field: closed sprints the issue was in plus at most one active or future sprint, oldest first.</summary>
    public List<long> SprintIds { get; } = [];
    /// <summary>User indexes watching the issue; the reporter first when watching.</summary>
    public List<int> Watchers { get; } = [];
    public List<SimAttachment> Attachments { get; } = [];
    public List<SimRemoteLink> RemoteLinks { get; } = [];
    /// <summary>Number field values set through the control surface (null = empty), by field id; they win over the seeded values.</summary>
    public Dictionary<string, double?> NumberOverrides { get; } = [];
}
