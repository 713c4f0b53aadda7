using System.Text.Json;
using JiraSync.Jira;
using JiraSync.Logging;
using JiraSync.Singer;

namespace JiraSync.Streams;

/// <summary>
/// What the tap must know about the Jira it reads before it reads anything: Cloud or Server/DC
/// (serverInfo.deploymentType; changes the search endpoint and the users key), the user's time zone
/// (myself.timeZone: JQL date literals are read in it, jira-api-notes.md §10) and the server's clock
/// (serverInfo.serverTime: the bookmark never passes the moment the run started on Jira's clock).
/// </summary>
public sealed record JiraInstance(bool IsServer, string TimeZoneName, TimeZoneInfo? UserTimeZone, DateTimeOffset ServerTime)
{
    public static async Task<JiraInstance> ProbeAsync(IJiraApi api, ILog log, CancellationToken ct)
    {
        var info = await api.GetAsync("rest/api/2/serverInfo", ct);
        var deployment = Str(info, "deploymentType") ?? "Cloud";
        var isServer = !deployment.Equals("Cloud", StringComparison.OrdinalIgnoreCase);
        var serverTime = SingerTime.TryParse(Str(info, "serverTime"), out var st) ? st : DateTimeOffset.UtcNow;
        var myself = await api.GetAsync("rest/api/2/myself", ct);
        var tzName = Str(myself, "timeZone") ?? Str(info, "serverTimeZone") ?? "UTC";
        TimeZoneInfo? tz = null;
        try { tz = TimeZoneInfo.FindSystemTimeZoneById(tzName); }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            log.Warn($"time zone '{tzName}' of the Jira user is unknown here; JQL dates get a 14-hour safety margin instead");
        }
        log.Info($"Jira {deployment}, user time zone {tzName}, server time {SingerTime.Format(serverTime)}");
        return new JiraInstance(isServer, tzName, tz, serverTime);
    }

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
}
