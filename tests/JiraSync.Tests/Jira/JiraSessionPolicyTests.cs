using System.Text.Json;
using System.Text.Json.Nodes;
using JiraSync.Jira;
using JiraSync.Logging;

namespace JiraSync.Tests.Jira;

/// <summary>The one policy the tap and `check` share for what serverInfo and myself leave out.</summary>
public class JiraSessionPolicyTests
{
    private sealed class CannedJira(string myself, string serverInfo) : IJiraApi
    {
        public JiraClientMetrics Metrics { get; } = new();
        public Task<JsonElement> GetAsync(string pathAndQuery, CancellationToken ct = default) =>
            Task.FromResult(JsonDocument.Parse(pathAndQuery.Contains("myself") ? myself : serverInfo).RootElement.Clone());
        public Task<JsonElement> PostAsync(string path, JsonNode body, CancellationToken ct = default) => throw new NotSupportedException();
    }

    [Fact]
    public async Task A_site_without_deploymentType_is_self_managed()
    {
        var info = await JiraSession.LoadAsync(new CannedJira("""{"key":"admin","timeZone":"Europe/Berlin"}""", """{"version":"8.20.0"}"""), null, default);
        Assert.True(info.IsServer);
        Assert.Equal("Europe/Berlin", info.TimeZone?.Id);
    }

    [Fact]
    public async Task An_unknown_user_zone_is_not_guessed_but_flagged_for_a_safety_margin()
    {
        var log = new MemoryLog();
        var info = await JiraSession.LoadAsync(new CannedJira("""{"accountId":"a1","timeZone":"Mars/Olympus_Mons"}""",
            """{"deploymentType":"Cloud","serverTimeZone":"UTC"}"""), log, default);
        Assert.Null(info.TimeZone);
        Assert.Equal("Mars/Olympus_Mons", info.TimeZoneName);
        Assert.Contains(log.Lines, l => l.StartsWith("WARNING") && l.Contains("Mars/Olympus_Mons") && l.Contains("safety margin"));
    }

    [Fact]
    public async Task A_user_without_a_zone_gets_the_server_default_zone()
    {
        var info = await JiraSession.LoadAsync(new CannedJira("""{"key":"admin"}""",
            """{"deploymentType":"Server","serverTimeZone":"Asia/Tokyo","serverTime":"2026-11-01T12:00:00.000+0900"}"""), null, default);
        Assert.Equal("Asia/Tokyo", info.TimeZone?.Id);
        Assert.Equal("serverInfo", info.TimeZoneSource);
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 3, 0, 0, TimeSpan.Zero), info.ServerTime.ToUniversalTime());
    }
}
