using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using JiraSync.Jira;

namespace JiraSync.Streams;

/// <summary>
/// projects, and the declared streams read once per visible project (versions, components).
/// Projects are requested concurrently up to max_concurrency, emitted in project order; a project
/// answering 403/404 is skipped with a warning (the run goes on).
/// </summary>
public static class ProjectStreamsFetcher
{
    public static Task SyncProjectsAsync(TapContext ctx, StreamDefinition def, CancellationToken ct) =>
        new FullTableSync(ctx, def.Name).RunAsync(async (run, token) =>
        {
            var extracted = DateTimeOffset.UtcNow;
            foreach (var project in await ctx.ProjectsAsync(token))
                await run.EmitAsync(SiteStreamFetcher.ToRecord(project), extracted, token);
        }, ct);

    public static Task SyncPerProjectAsync(TapContext ctx, StreamDefinition def, CancellationToken ct) =>
        new FullTableSync(ctx, def.Name).RunAsync(async (run, token) =>
        {
            var projects = await ctx.ProjectsAsync(token);
            var results = OrderedConcurrency.MapAsync(projects, async (project, t) =>
            {
                var id = project.GetProperty("id").GetString()!;
                var path = def.Endpoint!.Replace("{projectId}", Uri.EscapeDataString(id));
                var items = new List<JsonObject>();
                try
                {
                    await foreach (var item in SiteStreamFetcher.ItemsAsync(ctx, def, path, t).WithCancellation(t)) items.Add(SiteStreamFetcher.ToRecord(item));
                    return (id, items, (string?)null, DateTimeOffset.UtcNow);
                }
                catch (Exception ex) when (ex is JiraForbiddenException or JiraNotFoundException)
                {
                    return (id, items, $"project {id} answered {((JiraRequestException)ex).StatusCode} for {path}; skipped", DateTimeOffset.UtcNow);
                }
            }, ctx.Concurrency, token);
            await foreach (var (projectId, items, skipped, extracted) in results.WithCancellation(token))
            {
                if (skipped != null) { run.MarkIncomplete(skipped); continue; }
                foreach (var record in items)
                {
                    if (def.ParentIdProperty is { } parentKey && record[parentKey] is null)
                        record[parentKey] = long.TryParse(projectId, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;
                    await run.EmitAsync(record, extracted, token);
                }
            }
        }, ct);
}
