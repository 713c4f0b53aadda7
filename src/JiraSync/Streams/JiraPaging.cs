using System.Runtime.CompilerServices;
using System.Text.Json;
using JiraSync.Jira;

namespace JiraSync.Streams;

/// <summary>
/// Readers for Jira's generic envelopes (jira-api-notes.md §1). Page caps are applied silently by
/// Jira, so the next startAt always advances by the number of items actually received, and the
/// loop ends on isLast, on total, or on an empty page, never on the page size.
/// </summary>
public static class JiraPaging
{
    public static string With(string path, string query) => path + (path.Contains('?') ? "&" : "?") + query;

    /// <summary>PageBean (values/startAt/total/isLast). A plain array answer is taken as the only page.</summary>
    public static async IAsyncEnumerable<JsonElement> PageBeanAsync(IJiraApi api, string path, int pageSize,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var startAt = 0;
        while (true)
        {
            var url = With(path, $"startAt={startAt}&maxResults={pageSize}");
            var page = await api.GetAsync(url, ct);
            if (page.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in page.EnumerateArray()) yield return item;
                yield break;
            }
            var values = ArrayProperty(page, "values", url);
            var count = 0;
            foreach (var item in values.EnumerateArray()) { count++; yield return item; }
            if (count == 0) yield break;
            startAt += count;
            if (page.TryGetProperty("isLast", out var isLast) && isLast.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                if (isLast.ValueKind == JsonValueKind.True) yield break;
            }
            else if (page.TryGetProperty("total", out var total) && total.ValueKind == JsonValueKind.Number && startAt >= total.GetInt64())
                yield break;
        }
    }

    /// <summary>A paginated plain array (users/search): pages until an empty one, since a short page may just be a cap.</summary>
    public static async IAsyncEnumerable<JsonElement> ArrayPagesAsync(IJiraApi api, string path, int pageSize,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var startAt = 0;
        while (true)
        {
            var url = With(path, $"startAt={startAt}&maxResults={pageSize}");
            var page = await api.GetAsync(url, ct);
            if (page.ValueKind != JsonValueKind.Array) throw Unexpected(url, "expected a JSON array");
            var count = 0;
            foreach (var item in page.EnumerateArray()) { count++; yield return item; }
            if (count == 0) yield break;
            startAt += count;
        }
    }

    /// <summary>One request answering a plain array.</summary>
    public static async IAsyncEnumerable<JsonElement> PlainArrayAsync(IJiraApi api, string path, [EnumeratorCancellation] CancellationToken ct)
    {
        var page = await api.GetAsync(path, ct);
        if (page.ValueKind == JsonValueKind.Object && page.TryGetProperty("values", out var values) && values.ValueKind == JsonValueKind.Array)
            page = values;
        if (page.ValueKind != JsonValueKind.Array) throw Unexpected(path, "expected a JSON array");
        foreach (var item in page.EnumerateArray()) yield return item;
    }

    public static JsonElement ArrayProperty(JsonElement page, string name, string url)
    {
        if (page.ValueKind != JsonValueKind.Object || !page.TryGetProperty(name, out var arr) || arr.ValueKind != JsonValueKind.Array)
            throw Unexpected(url, $"no \"{name}\" array");
        return arr;
    }

    /// <summary>A 200 answer that is JSON but not the shape Jira documents: fail the run naming the URL.</summary>
    public static JiraRequestException Unexpected(string url, string what) =>
        new($"unexpected response from {url} (HTTP 200): {what}", 200);
}
