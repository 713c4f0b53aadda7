using System.Text;
using System.Text.Json;

namespace JiraSync.Jira;

/// <summary>Reads Jira's error envelope <c>{"errorMessages":[...],"errors":{"field":"message"}}</c>
/// (jira-api-notes.md §"Errors") into one short sentence for an exception message.</summary>
public static class JiraErrorBody
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

    private static string OneLine(string s) => string.Join(' ', s.Split((char[])['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries)).Trim();
    private static string Truncate(string s) => s.Length <= MaxLength ? s : s[..MaxLength] + "…";
}
