namespace JiraSync.Simulator.Model;

/// <summary>An agile board. Type is scrum, kanban or simple (a team-managed project's board, Jira Software
/// OpenAPI getAllBoards `type`). A private board's filter is not shared with the user: GET board lists it only
/// with includePrivate=true, without name and type, and its sprints answer 403.</summary>
public sealed record SimBoard(long Id, string Name, string Type, SimProject Project)
{
    public bool Private { get; init; }

    /// <summary>Scrum and team-managed boards have sprints; Kanban boards answer 400 for them.</summary>
    public bool SupportsSprints => Type is "scrum" or "simple";
}

/// <summary>A sprint; State is closed, active or future. Dates are null for future sprints. BoardId is the
/// origin board; <see cref="AlsoOnBoards"/> lists further boards whose filter shows the sprint's issues, so
/// the sprint is listed under them too (jira-api-notes §14.3). A deleted sprint stays here, flagged.</summary>
public sealed class SimSprint(long id, long boardId, string name, string state, long? startMs, long? endMs, long? completeMs, string goal)
{
    public long Id { get; } = id;
    public long BoardId { get; } = boardId;
    public string Name { get; } = name;
    public string State { get; } = state;
    public long? StartMs { get; } = startMs;
    public long? EndMs { get; } = endMs;
    public long? CompleteMs { get; } = completeMs;
    public string Goal { get; } = goal;
    public List<long> AlsoOnBoards { get; } = [];
    public bool Deleted { get; set; }

    public bool IsOn(long boardId) => BoardId == boardId || AlsoOnBoards.Contains(boardId);
}
