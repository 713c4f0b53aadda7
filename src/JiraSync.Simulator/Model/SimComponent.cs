namespace JiraSync.Simulator.Model;

/// <summary>A project component; LeadIndex null means the project lead is the default assignee.</summary>
public sealed record SimComponent(long Id, long ProjectId, string Name, string? Description, int? LeadIndex);
