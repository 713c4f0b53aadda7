namespace JiraSync.Simulator.Model;

/// <summary>A worklog; DeletedMs is when it was deleted (the worklog/deleted feed time).</summary>
public sealed class SimWorklog
{
    public required long Id { get; init; }
    public required long IssueId { get; init; }
    public required int AuthorIndex { get; init; }
    public int UpdateAuthorIndex { get; set; }
    public required long CreatedMs { get; init; }
    public long UpdatedMs { get; set; }
    public long StartedMs { get; set; }
    public int TimeSpentSeconds { get; set; }
    public int TextSeed { get; set; }
    public bool Deleted { get; set; }
    public long DeletedMs { get; set; }
}
