using System.Runtime.CompilerServices;
using System.Text.Json;

namespace JiraSync.Jira.Paging;

/// <summary>
/// Lists answered as a bare JSON array (jira-api-notes.md §1: /status, /priority, /field, /resolution…):
/// one request. Some lists come as one object holding the array under a key (issueLinkType's
/// <c>issueLinkTypes</c>, watchers' <c>watchers</c>); an object with a <c>values</c> array is taken as that
/// array too (some sites answer a PageBean).
/// </summary>
/// <param name="itemsKey">The key holding the array in an object answer, or null for a bare array.</param>
internal sealed class PlainArrayPager(string? itemsKey = null) : IJiraPager
{
    public static PlainArrayPager Instance { get; } = new();

    public async IAsyncEnumerable<JiraPage> PagesAsync(IJiraApi api, string path, [EnumeratorCancellation] CancellationToken ct)
    {
        var answer = await api.GetAsync(path, ct);
        var key = itemsKey ?? "values";
        var array = answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty(key, out var values) && values.ValueKind == JsonValueKind.Array
            ? values : answer;
        if (array.ValueKind != JsonValueKind.Array)
            throw PageEnvelope.Unexpected(path, itemsKey is null ? "expected a JSON array" : $"no \"{itemsKey}\" array");
        var items = array.EnumerateArray().ToList();
        if (items.Count > 0) yield return new JiraPage(items, answer, path, IsLast: true);
    }
}

/// <summary>
/// A bare JSON array paged by startAt/maxResults (users/search, user/search): nothing says which page is the
/// last, and a short page may only be a cap, so the list ends on an empty page.
/// </summary>
internal sealed class ArrayOffsetPager(int pageSize) : OffsetPager(pageSize)
{
    protected override List<JsonElement> ItemsOf(JsonElement page, string url) =>
        page.ValueKind == JsonValueKind.Array ? page.EnumerateArray().ToList() : throw PageEnvelope.Unexpected(url, "expected a JSON array");

    protected override bool IsLast(JsonElement page, long next) => false;
}
