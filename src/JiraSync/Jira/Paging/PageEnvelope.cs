using System.Text.Json;

namespace JiraSync.Jira.Paging;

/// <summary>Reading the fields of Jira's page envelopes; a 200 answer without the documented shape fails naming the URL.</summary>
internal static class PageEnvelope
{
    /// <summary>Appends query parameters to a path that may already have some.</summary>
    public static string With(string path, string query) => path + (path.Contains('?') ? "&" : "?") + query;

    /// <summary>The array under <paramref name="name"/>; throws <see cref="Unexpected"/> when it is not there.</summary>
    public static JsonElement ArrayProperty(JsonElement page, string name, string url)
    {
        if (page.ValueKind != JsonValueKind.Object || !page.TryGetProperty(name, out var arr) || arr.ValueKind != JsonValueKind.Array)
            throw Unexpected(url, $"no \"{name}\" array");
        return arr;
    }

    /// <summary>The items under <paramref name="name"/> as a list.</summary>
    public static List<JsonElement> Items(JsonElement page, string name, string url) =>
        ArrayProperty(page, name, url).EnumerateArray().ToList();

    /// <summary>A number property, or null when absent or not a number.</summary>
    public static long? Long(JsonElement page, string name) =>
        page.ValueKind == JsonValueKind.Object && page.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var l) ? l : null;

    /// <summary>A boolean property, or null when absent or not a boolean ("isLast" is "not returned for all operations").</summary>
    public static bool? Bool(JsonElement page, string name) =>
        page.ValueKind == JsonValueKind.Object && page.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? v.ValueKind == JsonValueKind.True : null;

    /// <summary>A string property, or null.</summary>
    public static string? String(JsonElement page, string name) =>
        page.ValueKind == JsonValueKind.Object && page.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>A 200 answer that is JSON but not the shape Jira documents: fail the run naming the URL.</summary>
    public static JiraRequestException Unexpected(string url, string what) =>
        new($"unexpected response from {url} (HTTP 200): {what}", 200);
}
