using System.Text.Json;
using JiraSync.Jira;
using JiraSync.Logging;
using JiraSync.Json;

namespace JiraSync.Streams;

/// <summary>
/// One entry of Jira's field list (GET rest/api/2/field, the same on Cloud and Server/DC): the id an issue's
/// "fields" object is keyed by, the display name, whether it is a custom field, and its schema
/// (type; items for arrays; custom = the plugin key). Fields such as "parent" come without a schema
/// (fixtures/airbyte-cloud/issue_fields.json), so every schema part is optional.
/// </summary>
/// <param name="Id">The key in an issue's "fields", e.g. "summary" or "customfield_10020".</param>
/// <param name="Name">The display name, e.g. "Sprint".</param>
/// <param name="Custom">A custom field.</param>
/// <param name="Type">schema.type, e.g. "string", "array", "user"; null without a schema.</param>
/// <param name="Items">schema.items for arrays, e.g. "string"; else null.</param>
/// <param name="CustomType">schema.custom, the plugin key, e.g. "com.pyxis.greenhopper.jira:gh-sprint"; else null.</param>
public sealed record JiraField(string Id, string Name, bool Custom, string? Type, string? Items, string? CustomType)
{
    internal static JiraField? Parse(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object || JsonFields.StringProperty(e, "id") is not { Length: > 0 } id) return null;
        var schema = e.TryGetProperty("schema", out var s) && s.ValueKind == JsonValueKind.Object ? s : default;
        var custom = e.TryGetProperty("custom", out var c) && c.ValueKind == JsonValueKind.True;
        return new JiraField(id, JsonFields.StringProperty(e, "name") ?? id, custom, JsonFields.StringProperty(schema, "type"), JsonFields.StringProperty(schema, "items"), JsonFields.StringProperty(schema, "custom"));
    }

    /// <summary>The site's fields, or null when Jira will not list them: the run then goes on with the
    /// static issues schema (every field still arrives inside the "fields" JSON, only without typed columns).</summary>
    internal static async Task<IReadOnlyList<JiraField>?> ListAsync(IJiraApi api, ILog log, CancellationToken ct)
    {
        JsonElement list;
        try { list = await api.GetAsync("rest/api/2/field", ct); }
        catch (JiraRequestException e) when (e is not JiraUnauthorizedException)
        {
            log.Warn($"could not read Jira's field list ({e.Message}); issue fields stay in the fields JSON without typed columns");
            return null;
        }
        if (list.ValueKind != JsonValueKind.Array)
        {
            log.Warn("Jira's field list is not a JSON array; issue fields stay in the fields JSON without typed columns");
            return null;
        }
        var fields = new List<JiraField>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in list.EnumerateArray())
            if (Parse(e) is { } f && seen.Add(f.Id)) fields.Add(f);
        log.Info($"Jira lists {fields.Count} issue fields ({fields.Count(f => f.Custom)} custom)");
        return fields;
    }
}
