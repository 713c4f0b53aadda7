using System.Text.Json;
using JiraSync.Logging;

namespace JiraSync.Jira;

/// <summary>
/// Reads the facts about the Jira site and user (<see cref="JiraInstanceInfo"/>) that `jirasync check` reports:
/// deployment type, version, the signed-in user and the time zone JQL dates are read in.
/// </summary>
public static class JiraSession
{
    public static async Task<JiraInstanceInfo> LoadAsync(IJiraApi api, ILog? log, CancellationToken ct)
    {
        // myself first: it is the call that proves the credentials (serverInfo answers anonymously).
        var myself = await api.GetAsync("rest/api/2/myself", ct).ConfigureAwait(false);
        var server = await api.GetAsync("rest/api/2/serverInfo", ct).ConfigureAwait(false);
        var (zone, source) = ResolveZone(Text(myself, "timeZone"), Text(server, "serverTimeZone"), log);
        return new JiraInstanceInfo
        {
            // Only Cloud says "Cloud"; a self-managed site that omits the field is treated as Server.
            DeploymentType = Text(server, "deploymentType") ?? "Server",
            Version = Text(server, "version"),
            ServerTitle = Text(server, "serverTitle"),
            AccountId = Text(myself, "accountId"),
            UserKey = Text(myself, "key"),
            UserName = Text(myself, "name"),
            DisplayName = Text(myself, "displayName"),
            EmailAddress = Text(myself, "emailAddress"),
            TimeZone = zone,
            TimeZoneSource = source,
        };
    }

    private static (TimeZoneInfo, string) ResolveZone(string? userZone, string? serverZone, ILog? log)
    {
        foreach (var (id, source) in new[] { (userZone, "myself"), (serverZone, "serverInfo") })
        {
            if (string.IsNullOrEmpty(id)) continue;
            if (TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone)) return (zone, source);
            log?.Warn($"Jira's time zone \"{id}\" ({source}) is unknown to this machine's time zone database");
        }
        log?.Warn("Jira did not say which time zone the user is in; JQL dates will be written in UTC");
        return (TimeZoneInfo.Utc, "default UTC");
    }

    private static string? Text(JsonElement e, string key) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s ? s : null;
}
