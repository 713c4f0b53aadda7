using Microsoft.AspNetCore.Http;

namespace JiraSync.Simulator.Http;

/// <summary>startAt/maxResults from the query string. A maxResults above the endpoint's cap is
/// silently lowered (KB "Changing maxResults parameter for Jira REST API"); the response then shows the cap.</summary>
public readonly record struct Page(int StartAt, int MaxResults)
{
    public static Page From(HttpContext ctx, int defaultMax, int cap)
    {
        var q = ctx.Request.Query;
        var start = int.TryParse(q["startAt"], out var s) && s > 0 ? s : 0;
        var max = int.TryParse(q["maxResults"], out var m) ? m : defaultMax;
        if (max < 0) max = defaultMax;
        return new Page(start, Math.Min(max, cap));
    }

    public static Page From(int? startAt, int? maxResults, int defaultMax, int cap)
    {
        var max = maxResults is { } m && m >= 0 ? m : defaultMax;
        return new Page(Math.Max(0, startAt ?? 0), Math.Min(max, cap));
    }

    public IEnumerable<T> Slice<T>(IEnumerable<T> items) => items.Skip(StartAt).Take(MaxResults);

    public bool IsLast(int total) => StartAt + MaxResults >= total;
}
