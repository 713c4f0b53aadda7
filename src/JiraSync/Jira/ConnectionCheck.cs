using JiraSync.Jira.Paging;
using System.Text.Json;

namespace JiraSync.Jira;

/// <summary>The facts `jirasync check` reports, gathered through the ordinary client so that a
/// passing check means a sync can connect the same way.</summary>
public sealed record ConnectionCheck
{
    public required string Url { get; init; }
    public required string Tls { get; init; }
    public required JiraInstanceInfo Instance { get; init; }
    public required int VisibleProjects { get; init; }

    public static async Task<ConnectionCheck> RunAsync(JiraClient client, CancellationToken ct)
    {
        var info = await JiraSession.LoadAsync(client, null, ct).ConfigureAwait(false);
        var projects = await CountProjectsAsync(client, info.IsCloud, ct).ConfigureAwait(false);
        return new ConnectionCheck
        {
            Url = client.BaseUrl.ToString(),
            Tls = $"verified, root {client.Tls.VerifiedBy ?? "unknown"}",
            Instance = info,
            VisibleProjects = projects,
        };
    }

    /// <summary>Cloud: page through project/search (PageBean, at most 100 per page; the plain project list is
    /// deprecated there). Server/DC: the project list, one array (jira-api-notes.md §"Projects").</summary>
    public static async Task<int> CountProjectsAsync(IJiraApi api, bool cloud, CancellationToken ct)
    {
        if (!cloud)
        {
            var list = await api.GetAsync("rest/api/2/project", ct).ConfigureAwait(false);
            return list.ValueKind == JsonValueKind.Array ? list.GetArrayLength() : 0;
        }
        var count = 0;
        try
        {
            await foreach (var _ in new PageBeanPager(100).ItemsAsync(api, "rest/api/2/project/search", ct).ConfigureAwait(false)) count++;
        }
        catch (JiraNotFoundException) when (count == 0)
        {
            return 0; // project/search answers 404 when no project matches (spec)
        }
        return count;
    }

    public IEnumerable<(string Label, string Value)> Lines()
    {
        var i = Instance;
        yield return ("URL", Url);
        yield return ("TLS", Tls);
        yield return ("User", $"{i.DisplayName ?? "(no display name)"} ({i.UserIdentity})");
        yield return ("Deployment", $"{i.DeploymentType}{(i.Version is { } v ? " " + v : "")}");
        yield return ("Time zone", ZoneLine(i));
        yield return ("Projects", $"{VisibleProjects} visible");
    }

    private static string ZoneLine(JiraInstanceInfo i)
    {
        if (i.TimeZone is not { } zone)
            return $"{i.TimeZoneName ?? "not given"} (from {i.TimeZoneSource}; not known here, so JQL dates get a 14-hour safety margin)";
        var offset = zone.GetUtcOffset(DateTimeOffset.UtcNow);
        var sign = offset < TimeSpan.Zero ? "-" : "+";
        return $"{zone.Id} (UTC{sign}{offset.Duration():hh\\:mm} now, from {i.TimeZoneSource}; JQL dates are read in it)";
    }
}
