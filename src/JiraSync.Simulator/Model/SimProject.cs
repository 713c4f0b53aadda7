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
    /// <summary>The user has no Browse permission (from the start, or revoked through the control surface).</summary>
    public bool NoBrowse { get; set; }
    /// <summary>Cloud's project status: "live", "archived", or "deleted" (in the recycle bin). OpenAPI
    /// `searchProjects` `status` parameter.</summary>
    public string Status { get; set; } = ProjectStatus.Live;
    /// <summary>When the project was archived or moved to the recycle bin (epoch ms).</summary>
    public long? StatusChangedMs { get; set; }
    /// <summary>Out of the user's reach: no Browse permission, archived, or trashed. 404 on its endpoints, absent from
    /// search and from the default project lists. (Assumed for archived projects: Atlassian's archiving docs say archived
    /// projects' issues leave search results and are read-only; the simulator hides them entirely.)</summary>
    public bool Hidden => NoBrowse || Status != ProjectStatus.Live;
    public List<SimVersion> Versions { get; } = [];
    public List<SimComponent> Components { get; } = [];
    public int NextIssueNumber { get; set; } = 1;
}

/// <summary>Values of project/search's experimental `status` parameter (OpenAPI `searchProjects`).</summary>
public static class ProjectStatus
{
    /// <summary>Visible, usable projects.</summary>
    public const string Live = "live";
    /// <summary>Archived projects (read-only, hidden from search).</summary>
    public const string Archived = "archived";
    /// <summary>Projects in the trash (Cloud keeps them 60 days).</summary>
    public const string Deleted = "deleted";
}
