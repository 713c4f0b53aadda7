using JiraSync.Jira.Paging;
using JiraSync.Singer;
using System.Text.Json;


namespace JiraSync.Streams;

/// <summary>
/// Every project the user can browse, by status, to tell why an issue left search (jira-api-notes.md §14.4):
/// Cloud lists live, archived and trashed projects through project/search's experimental <c>status</c> parameter
/// (repeated, as Jellyfish-AI/jf_agent sends it) with <c>action=browse</c> (projects whose issues the user can read);
/// Server/DC lists archived ones with <c>GET project?includeArchived=true</c>. A project in no list is out of reach.
/// </summary>
internal sealed class ProjectRoster
{
    private readonly Dictionary<string, string> _status = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>"live", "archived" or "deleted" (Cloud's recycle bin); null when the project is in no list.</summary>
    public string? StatusOf(string projectKey) => _status.GetValueOrDefault(projectKey);

    /// <summary>The row status for an issue whose project is <paramref name="projectKey"/> and that search no longer
    /// lists: <see cref="RowStatus.Archived"/>, <see cref="RowStatus.Deleted"/> (project trashed),
    /// <see cref="RowStatus.NoAccess"/> (in no list), or null when the project is live (the issue itself must be looked up).</summary>
    public string? RowStatusFor(string projectKey) => StatusOf(projectKey) switch
    {
        "live" => null,
        "archived" => RowStatus.Archived,
        "deleted" => RowStatus.Deleted,
        _ => RowStatus.NoAccess,
    };

    /// <summary>Reads the lists; any failure propagates, and the caller marks nothing.</summary>
    public static async Task<ProjectRoster> ReadAsync(TapContext ctx, CancellationToken ct)
    {
        var roster = new ProjectRoster();
        var source = ctx.Instance.IsServer
            ? PlainArrayPager.Instance.ItemsAsync(ctx.Api, "rest/api/2/project?includeArchived=true", ct)
            : new PageBeanPager(100).ItemsAsync(ctx.Api, "rest/api/2/project/search?action=browse&status=live&status=archived&status=deleted", ct);
        await foreach (var p in source.WithCancellation(ct))
        {
            if (!p.TryGetProperty("key", out var k) || k.GetString() is not { } key) continue;
            roster._status[key] = Flag(p, "deleted") ? "deleted" : Flag(p, "archived") ? "archived" : "live";
        }
        return roster;
    }

    private static bool Flag(JsonElement p, string name) => p.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;
}
