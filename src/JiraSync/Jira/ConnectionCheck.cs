using JiraSync.Jira.Paging;
using System.Text.Json;
using JiraSync.Errors;

namespace JiraSync.Jira;

/// <summary>The facts `jirasync check` reports, gathered through the ordinary client so that a
/// passing check means a sync can connect the same way.</summary>
public sealed record ConnectionCheck
{
    /// <summary>The base URL requests went to, with its trailing slash.</summary>
    public required string Url { get; init; }
    /// <summary>How TLS was verified, e.g. "verified, root ISRG Root X1".</summary>
    public required string Tls { get; init; }
    /// <summary>Deployment, version, user and time zone from serverInfo and myself.</summary>
    public required JiraInstanceInfo Instance { get; init; }
    /// <summary>How many projects the user can browse.</summary>
    public required int VisibleProjects { get; init; }

    /// <summary>Reads GET rest/api/2/serverInfo, GET rest/api/2/myself and the project list through
    /// <paramref name="client"/> (https://developer.atlassian.com/cloud/jira/platform/rest/v2/api-group-server-info/).</summary>
    /// <param name="client">The client made from the config under test.</param>
    /// <param name="ct">Cancels the requests.</param>
    /// <param name="configuredProjects">The config's "projects": each must exist and be visible, else
    /// <see cref="ConfigException"/> (exit 2) naming the ones that are not.</param>
    /// <exception cref="ConfigException">A configured project does not exist or is not visible.</exception>
    /// <exception cref="JiraRequestException">Jira refused a request (401/403 as <see cref="JiraUnauthorizedException"/>
    /// and <see cref="JiraForbiddenException"/>, exit 3).</exception>
    /// <exception cref="ConnectionException">DNS, TCP or TLS failed (exit 4).</exception>
    public static async Task<ConnectionCheck> RunAsync(JiraClient client, CancellationToken ct, IReadOnlyList<string>? configuredProjects = null)
    {
        var info = await JiraSession.LoadAsync(client, null, ct).ConfigureAwait(false);
        var keys = await ProjectKeysAsync(client, info.IsCloud, ct).ConfigureAwait(false);
        var projects = keys.Count;
        if (configuredProjects is { Count: > 0 })
        {
            var visible = keys.ToHashSet(StringComparer.OrdinalIgnoreCase);
            var missing = configuredProjects.Where(p => !visible.Contains(p)).ToList();
            if (missing.Count > 0)
                throw new ConfigException($"\"projects\" names {string.Join(", ", missing.Select(m => $"'{m}'"))}, which {(missing.Count == 1 ? "does" : "do")} not exist or {(missing.Count == 1 ? "is" : "are")} not visible to this user; " +
                                          $"visible projects: {Sample(keys)}");
        }
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
    internal static async Task<int> CountProjectsAsync(IJiraApi api, bool cloud, CancellationToken ct) =>
        (await ProjectKeysAsync(api, cloud, ct).ConfigureAwait(false)).Count;

    /// <summary>The keys of the projects the user can see (same sources as <see cref="CountProjectsAsync"/>).</summary>
    internal static async Task<IReadOnlyList<string>> ProjectKeysAsync(IJiraApi api, bool cloud, CancellationToken ct)
    {
        static string Key(JsonElement p) => p.ValueKind == JsonValueKind.Object && p.TryGetProperty("key", out var k) ? k.GetString() ?? "" : "";
        var keys = new List<string>();
        if (!cloud)
        {
            var list = await api.GetAsync("rest/api/2/project", ct).ConfigureAwait(false);
            if (list.ValueKind == JsonValueKind.Array) keys.AddRange(list.EnumerateArray().Select(Key));
            return keys;
        }
        try
        {
            await foreach (var p in new PageBeanPager(100).ItemsAsync(api, "rest/api/2/project/search", ct).ConfigureAwait(false)) keys.Add(Key(p));
        }
        catch (JiraNotFoundException) when (keys.Count == 0)
        {
            // project/search answers 404 when no project matches (spec)
        }
        return keys;
    }

    private static string Sample(IReadOnlyList<string> keys) =>
        keys.Count == 0 ? "none" : string.Join(", ", keys.Take(10)) + (keys.Count > 10 ? $" and {keys.Count - 10} more" : "");

    /// <summary>The report as label/value rows in display order: URL, TLS, User, Deployment, Time zone, Projects.</summary>
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
