using System.Runtime.CompilerServices;
using System.Text.Json;

namespace JiraSync.Jira.Paging;

/// <summary>
/// Lists answered as a bare JSON array (jira-api-notes.md §1: /status, /priority, /field, /resolution…):
/// one request. An object with a <c>values</c> array is taken as that array (some sites answer a PageBean).
/// </summary>
public sealed class PlainArrayPager : IJiraPager
{
    public static PlainArrayPager Instance { get; } = new();

    public async IAsyncEnumerable<JiraPage> PagesAsync(IJiraApi api, string path, [EnumeratorCancellation] CancellationToken ct)
    {
        var answer = await api.GetAsync(path, ct);
        var array = answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty("values", out var values) && values.ValueKind == JsonValueKind.Array
            ? values : answer;
        if (array.ValueKind != JsonValueKind.Array) throw PageEnvelope.Unexpected(path, "expected a JSON array");
        var items = array.EnumerateArray().ToList();
        if (items.Count > 0) yield return new JiraPage(items, answer, path, IsLast: true);
    }
}

/// <summary>
/// A bare JSON array paged by startAt/maxResults (users/search, user/search): nothing says which page is the
/// last, and a short page may only be a cap, so the list ends on an empty page.
/// </summary>
public sealed class ArrayOffsetPager(int pageSize) : OffsetPager(pageSize)
{
    protected override List<JsonElement> ItemsOf(JsonElement page, string url) =>
        page.ValueKind == JsonValueKind.Array ? page.EnumerateArray().ToList() : throw PageEnvelope.Unexpected(url, "expected a JSON array");

    protected override bool IsLast(JsonElement page, long next) => false;
}
