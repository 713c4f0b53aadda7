using System.Text.Json;
using JiraSync.Jira;
using JiraSync.Jira.Paging;
using JiraSync.Logging;

namespace JiraSync.Streams;

/// <summary>
/// users: every user on Cloud through users/search (a paginated plain array that includes inactive
/// users, jira-api-notes.md §6), plus the members of the configured groups through group/member.
/// Server/DC has no users/search, so there the groups are the source, tap-jira's default groups when
/// none are configured. Keyed by accountId on Cloud, key on Server; a user in several sources is
/// emitted once. A group that does not exist is skipped with a warning, as tap-jira does.
/// </summary>
internal static class UsersFetcher
{
    /// <summary>tap-jira's default groups (singer-io/tap-jira streams.py) for Server/DC without "groups".</summary>
    private static readonly string[] DefaultServerGroups = ["jira-administrators", "jira-software-users", "jira-core-users", "jira-users", "users"];

    public static Task SyncAsync(TapContext ctx, StreamDefinition def, CancellationToken ct) =>
        new FullTableSync(ctx, def.Name).RunAsync(async (run, token) =>
        {
            var keyProperty = def.KeysFor(ctx.Instance.IsServer)[0];
            var seen = new HashSet<string>(StringComparer.Ordinal);
            async Task EmitAll(IAsyncEnumerable<JsonElement> users)
            {
                var extracted = DateTimeOffset.UtcNow;
                await foreach (var user in users.WithCancellation(token))
                {
                    var key = user.TryGetProperty(keyProperty, out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null;
                    if (key is null || !seen.Add(key)) continue;
                    await run.EmitAsync(DeclaredStreamFetcher.ToRecord(user), extracted, token);
                }
            }

            if (!ctx.Instance.IsServer)
                await EmitAll(new ArrayOffsetPager(1000).ItemsAsync(ctx.Api, "rest/api/2/users/search", token));
            var groups = ctx.Config.Groups.Count > 0 ? ctx.Config.Groups : ctx.Instance.IsServer ? DefaultServerGroups : [];
            foreach (var group in groups)
            {
                try
                {
                    var path = $"rest/api/2/group/member?groupname={Uri.EscapeDataString(group)}&includeInactiveUsers=true";
                    await EmitAll(new PageBeanPager(50).ItemsAsync(ctx.Api, path, token));
                }
                catch (JiraNotFoundException) { ctx.Log.Warn($"users: group '{group}' does not exist; skipped"); }
                catch (JiraForbiddenException) { run.MarkIncomplete($"group '{group}' may not be read by this user (403); skipped"); }
            }
        }, ct);
}
