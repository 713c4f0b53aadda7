using System.Text;
using System.Text.Json;

namespace JiraSync.Jira;

/// <summary>Reads Jira's error envelope <c>{"errorMessages":[...],"errors":{"field":"message"}}</c>
/// (jira-api-notes.md §"Errors") into one short sentence for an exception message.</summary>
internal static class JiraErrorBody
{
    private const int MaxLength = 300;

    public static string? Summarize(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty) return null;
        try
        {
            using var doc = JsonDocument.Parse(body.ToArray());
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return null;
            var parts = new List<string>();
            if (root.TryGetProperty("errorMessages", out var messages) && messages.ValueKind == JsonValueKind.Array)
                parts.AddRange(messages.EnumerateArray().Where(m => m.ValueKind == JsonValueKind.String).Select(m => m.GetString()!));
            if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
                parts.AddRange(errors.EnumerateObject().Select(e => $"{e.Name}: {(e.Value.ValueKind == JsonValueKind.String ? e.Value.GetString() : e.Value.GetRawText())}"));
            // Some gateways answer {"message": "..."} or {"error": "..."} instead.
            foreach (var key in new[] { "message", "error_description", "error" })
                if (parts.Count == 0 && root.TryGetProperty(key, out var m) && m.ValueKind == JsonValueKind.String) parts.Add(m.GetString()!);
            var text = string.Join("; ", parts.Where(p => !string.IsNullOrWhiteSpace(p)).Select(OneLine));
            return text.Length == 0 ? null : Truncate(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The first characters of a body that is not JSON, for "starts with ..." in messages.</summary>
    public static string Preview(ReadOnlySpan<byte> body)
    {
        var text = OneLine(Encoding.UTF8.GetString(body[..Math.Min(body.Length, 120)]));
        return text.Length == 0 ? "an empty body" : $"\"{text}{(body.Length > 120 ? "…" : "")}\"";
    }

    /// <summary>True when an error body states a fixed server limit rather than a passing failure, as Data Center's
    /// search does past its result window: "Search limit exceeded. We couldn't complete your search because it requests
    /// 10,100 results which exceeded the search platform limit of 10,000" (Atlassian KB "Handling JQL REST API searching
    /// exceeding max_result_window in Jira", support.atlassian.com/jira/kb/handling-jql-rest-api-searching-exceeding-max_result_window-in-jira).</summary>
    public static bool StatesFixedLimit(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty) return false;
        var text = Summarize(body) ?? Encoding.UTF8.GetString(body[..Math.Min(body.Length, 2000)]);
        return text.Contains("limit exceeded", StringComparison.OrdinalIgnoreCase)
               || text.Contains("exceeded the search platform limit", StringComparison.OrdinalIgnoreCase)
               || text.Contains("max_result_window", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Jira's XSRF filter answers 403 with the plain text "XSRF check failed" (Atlassian KB
    /// "XSRF check failed when calling Cloud APIs").</summary>
    public static bool IsXsrfRefusal(ReadOnlySpan<byte> body) =>
        Encoding.UTF8.GetString(body[..Math.Min(body.Length, 500)]).Contains("XSRF check failed", StringComparison.OrdinalIgnoreCase);

    private static string OneLine(string s) => string.Join(' ', s.Split((char[])['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries)).Trim();
    private static string Truncate(string s) => s.Length <= MaxLength ? s : s[..MaxLength] + "…";
}
