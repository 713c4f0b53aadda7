using System.Text.Json;
using JiraSync.Errors;
using JiraSync.Logging;
using JiraSync.Singer;
using JiraSync.Json;

namespace JiraSync.Jira;

/// <summary>
/// Reads the facts about the Jira site and user (<see cref="JiraInstanceInfo"/>) that both the tap and
/// `jirasync check` rely on: deployment type, version, server clock, the signed-in user and the time zone
/// JQL dates are read in. One lookup, one policy, so `check` reports exactly what a sync will use.
/// </summary>
internal static class JiraSession
{
    public static async Task<JiraInstanceInfo> LoadAsync(IJiraApi api, ILog? log, CancellationToken ct)
    {
        // Both at once (a round trip saved at every start), but myself's outcome first: it is the call that proves the
        // credentials (serverInfo answers anonymously), so a refusal is reported as one.
        var serverTask = api.GetAsync("rest/api/2/serverInfo", ct);
        JsonElement myself;
        try
        {
            myself = await api.GetAsync("rest/api/2/myself", ct).ConfigureAwait(false);
        }
        catch (JiraRequestException e) when (e is JiraNotFoundException || e.StatusCode is >= 200 and < 300 && e.InnerException is JsonException)
        {
            // Every Jira answers myself with JSON; a 404 or an HTML page means base_url is not Jira's REST root.
            Observe(serverTask);
            throw NotJira(api, e);
        }
        catch
        {
            Observe(serverTask);
            throw;
        }
        var server = await serverTask.ConfigureAwait(false);
        var (zone, name, source) = ResolveZone(JsonFields.NonEmptyStringProperty(myself, "timeZone"), JsonFields.NonEmptyStringProperty(server, "serverTimeZone"), log);
        var info = new JiraInstanceInfo
        {
            // Only Cloud says "Cloud"; a self-managed site that omits the field is treated as Server.
            DeploymentType = JsonFields.NonEmptyStringProperty(server, "deploymentType") ?? "Server",
            Version = JsonFields.NonEmptyStringProperty(server, "version"),
            ServerTitle = JsonFields.NonEmptyStringProperty(server, "serverTitle"),
            ServerTime = SingerTime.TryParse(JsonFields.NonEmptyStringProperty(server, "serverTime"), out var at) ? at : DateTimeOffset.UtcNow,
            AccountId = JsonFields.NonEmptyStringProperty(myself, "accountId"),
            UserKey = JsonFields.NonEmptyStringProperty(myself, "key"),
            UserName = JsonFields.NonEmptyStringProperty(myself, "name"),
            DisplayName = JsonFields.NonEmptyStringProperty(myself, "displayName"),
            EmailAddress = JsonFields.NonEmptyStringProperty(myself, "emailAddress"),
            TimeZone = zone,
            TimeZoneName = name,
            TimeZoneSource = source,
        };
        log?.Info($"Jira {info.DeploymentType}, user time zone {name ?? "unknown"}, server time {SingerTime.Format(info.ServerTime)}");
        return info;
    }

    /// <summary>Keeps a request whose answer no longer matters from surfacing as an unobserved task exception.</summary>
    private static void Observe(Task task) => task.ContinueWith(t => _ = t.Exception, CancellationToken.None,
        TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    /// <summary>The user's profile zone; a user without one gets the server's default zone. A zone this machine
    /// cannot resolve is not replaced by a guess: null makes JQL dates carry a safety margin instead.</summary>
    private static (TimeZoneInfo?, string?, string) ResolveZone(string? userZone, string? serverZone, ILog? log)
    {
        var (id, source) = userZone != null ? (userZone, "myself") : serverZone != null ? (serverZone, "serverInfo") : (null, "none");
        if (id == null)
        {
            log?.Warn("Jira did not say which time zone the user is in; JQL dates get a 14-hour safety margin");
            return (null, null, source);
        }
        if (TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone)) return (zone, id, source);
        log?.Warn($"Jira's time zone \"{id}\" ({source}) is unknown to this machine's time zone database; JQL dates get a 14-hour safety margin");
        return (null, id, source);
    }

    private static ConnectionException NotJira(IJiraApi api, JiraRequestException e)
    {
        var baseUrl = api is JiraClient c ? c.BaseUrl : null;
        var root = baseUrl is { AbsolutePath.Length: > 1 } ? $"; if Jira is at the root of its host, use {baseUrl.GetLeftPart(UriPartial.Authority)}" : "";
        return new ConnectionException($"base_url {baseUrl?.ToString() ?? "(unknown)"} does not look like Jira's REST root ({e.Message}); " +
                                       $"use the address Jira's pages open at, without /browse, /secure or /rest{root}", e);
    }
}
