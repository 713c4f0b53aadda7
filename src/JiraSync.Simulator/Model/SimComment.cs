namespace JiraSync.Simulator.Model;

/// <summary>An issue comment; the body is regenerated from TextSeed.</summary>
public sealed class SimComment
{
    public required long Id { get; init; }
    public required long IssueId { get; init; }
    public required int AuthorIndex { get; init; }
    public int UpdateAuthorIndex { get; set; }
    public required long CreatedMs { get; init; }
    public long UpdatedMs { get; set; }
    public int TextSeed { get; set; }
    public bool Deleted { get; set; }
}
