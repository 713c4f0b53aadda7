using System.Text.Json;
using System.Text.Json.Nodes;
using JiraSync.Jira;
using JiraSync.Jira.Paging;

namespace JiraSync.Streams;

/// <summary>The generic fetcher for declared streams with one site-wide endpoint. A 403 (e.g. /role
/// for a non-admin, jira-api-notes.md §6) skips the stream with a warning instead of failing the run.</summary>
public static class SiteStreamFetcher
{
    public static Task SyncAsync(TapContext ctx, StreamDefinition def, CancellationToken ct) =>
        new FullTableSync(ctx, def.Name).RunAsync(async (run, token) =>
        {
            try
            {
                var items = ItemsAsync(ctx, def, def.Endpoint!, token);
                var extracted = DateTimeOffset.UtcNow;
                await foreach (var item in items.WithCancellation(token))
                    await run.EmitAsync(ToRecord(item), extracted, token);
            }
            catch (Exception ex) when (ex is JiraForbiddenException or JiraNotFoundException)
            {
                run.MarkIncomplete($"{def.Endpoint} answered {((JiraRequestException)ex).StatusCode}; the user may not read it, stream skipped");
            }
        }, ct);

    /// <summary>The items a declared stream's endpoint answers, paged as its declaration says.</summary>
    public static IAsyncEnumerable<JsonElement> ItemsAsync(TapContext ctx, StreamDefinition def, string path, CancellationToken ct) =>
        def.Pagination == Pagination.PageBean
            ? new PageBeanPager(ctx.PageSize).ItemsAsync(ctx.Api, path, ct)
            : PlainArrayPager.Instance.ItemsAsync(ctx.Api, path, ct);

    /// <summary>A mutable record over a response item (JsonObject.Create wraps the element without re-parsing).</summary>
    public static JsonObject ToRecord(JsonElement item) =>
        item.ValueKind == JsonValueKind.Object ? JsonObject.Create(item)! : throw PageEnvelope.Unexpected("(list)", $"an item that is {item.ValueKind}, not an object");
}
