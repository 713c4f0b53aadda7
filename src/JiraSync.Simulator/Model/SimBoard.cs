namespace JiraSync.Simulator.Model;

public sealed record SimBoard(long Id, string Name, string Type, SimProject Project);

/// <summary>A sprint; State is closed, active or future. Dates are null for future sprints.</summary>
public sealed record SimSprint(long Id, long BoardId, string Name, string State, long? StartMs, long? EndMs,
    long? CompleteMs, string Goal);
