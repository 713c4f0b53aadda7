namespace JiraSync.Simulator.Model;

/// <summary>A project version; dates are epoch ms, null when unset.</summary>
public sealed record SimVersion(long Id, long ProjectId, string Name, string? Description, bool Released,
    bool Archived, long? StartMs, long? ReleaseMs);
