using System.Text.Json;

namespace JiraSync.Streams;

/// <summary>
/// Which issues belong to the configured projects, for feeds that are site-wide (worklog/updated
/// lists every visible worklog). Loaded once with an id-only search (5000 ids a page); an issue id
/// not seen then (created during the run) is checked with one more search, never guessed, so a
/// worklog is neither leaked from another project nor dropped from ours.
/// </summary>
internal sealed class IssueScope(TapContext ctx)
{
    private readonly HashSet<string> _inside = new(StringComparer.Ordinal);
    private readonly HashSet<string> _outside = new(StringComparer.Ordinal);
    private bool _loaded;

    /// <summary>True when no projects are configured: every issue is in scope.</summary>
    public bool Everything => ctx.Config.Projects.Count == 0;

    public async Task<IReadOnlySet<string>> InsideAsync(IEnumerable<string> issueIds, CancellationToken ct)
    {
        var ids = issueIds.Distinct().ToList();
        if (Everything) return ids.ToHashSet();
        if (!_loaded)
        {
            await AddMatchesAsync($"{ctx.SiteProjectClause()}created >= \"1970/01/01\" ORDER BY id ASC", ct);
            _loaded = true;
        }
        var unknown = ids.Where(id => !_inside.Contains(id) && !_outside.Contains(id)).ToList();
        foreach (var chunk in unknown.Chunk(100))
        {
            await AddMatchesAsync($"{ctx.SiteProjectClause()}id in ({string.Join(",", chunk)}) ORDER BY id ASC", ct);
            foreach (var id in chunk) if (!_inside.Contains(id)) _outside.Add(id);
        }
        return ids.Where(_inside.Contains).ToHashSet();
    }

    private async Task AddMatchesAsync(string jql, CancellationToken ct)
    {
        var pageSize = ctx.Instance.IsServer ? 1000 : 5000;
        await foreach (var page in IssueSearch.PagesAsync(ctx, jql, ["id"], "", pageSize, ct).WithCancellation(ct))
            foreach (var issue in page.Issues)
                if (issue.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String) _inside.Add(id.GetString()!);
    }
}
