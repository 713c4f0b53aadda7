using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace JiraSync.Streams;

/// <summary>
/// Streams read from an issue's own fields, with no request of their own (<see cref="StreamDefinition.FromParent"/>):
/// its links (fields.issuelinks), attachments' metadata (fields.attachment) and sprint membership (the Sprint
/// custom field). Each gets the issue's id as issueId.
/// </summary>
internal static partial class IssueDerived
{
    /// <summary>Jira Software's Sprint field type (jira-api-notes.md §14.3; its customfield id differs per site).</summary>
    public const string SprintFieldType = "com.pyxis.greenhopper.jira:gh-sprint";

    /// <summary>The site's Sprint fields, found by custom type in Jira's field list (none when it could not be read).</summary>
    public static IEnumerable<string> SprintFieldIds(TapContext ctx) =>
        ctx.Fields?.Where(f => f.CustomType == SprintFieldType).Select(f => f.Id) ?? [];

    /// <summary>issue_links: each entry of fields.issuelinks as seen from this issue: the link type, "outward" when
    /// this issue is the link's source (the other one under outwardIssue), "inward" otherwise, and the other issue's
    /// id and key. A link sits on both its issues' pages; the sweep emits it once per run (the first seen).</summary>
    public static IEnumerable<JsonObject> Links(TapContext ctx, JsonElement issue)
    {
        foreach (var link in FieldArray(issue, "issuelinks"))
        {
            var outward = link.TryGetProperty("outwardIssue", out var o) && o.ValueKind == JsonValueKind.Object;
            var other = outward ? o : link.TryGetProperty("inwardIssue", out var i) && i.ValueKind == JsonValueKind.Object ? i : default;
            var type = link.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.Object ? t : default;
            // Jira's own link object (type, the other issue under inwardIssue or outwardIssue), flattened for joins too.
            var record = DeclaredStreamFetcher.ToRecord(link);
            record["typeId"] = Str(type, "id");
            record["typeName"] = Str(type, "name");
            record["direction"] = outward ? "outward" : "inward";
            // The phrase as it reads from this issue: "blocks" (outward) or "is blocked by" (inward).
            record["relationship"] = Str(type, outward ? "outward" : "inward");
            record["otherIssueId"] = Str(other, "id");
            record["otherIssueKey"] = Str(other, "key");
            yield return record;
        }
    }

    /// <summary>attachments: metadata of each entry of fields.attachment, never the content (its URL is kept).</summary>
    public static IEnumerable<JsonObject> Attachments(TapContext ctx, JsonElement issue) =>
        FieldArray(issue, "attachment").Select(DeclaredStreamFetcher.ToRecord);

    /// <summary>sprint_issues: one record per sprint in the issue's Sprint field(s): objects {id, name, state, boardId…}
    /// on Cloud, legacy "com.atlassian.greenhopper.service.sprint.Sprint@…[id=1,…,state=CLOSED,name=…]" strings on older
    /// Server/DC (jira-api-notes.md §14.3). The field lists every sprint the issue is in now (closed ones it was
    /// carried over from, and at most one active or future).</summary>
    public static IEnumerable<JsonObject> SprintMemberships(TapContext ctx, JsonElement issue)
    {
        var seen = new HashSet<long>();
        foreach (var fieldId in SprintFieldIds(ctx))
            foreach (var sprint in FieldArray(issue, fieldId))
            {
                if (Sprint(sprint) is not { } record || !seen.Add((long)record["sprintId"]!)) continue;
                yield return record;
            }
    }

    private static JsonObject? Sprint(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Object)
        {
            if (!value.TryGetProperty("id", out var id) || !TryLong(id, out var sprintId)) return null;
            return new JsonObject
            {
                ["sprintId"] = sprintId,
                ["sprintName"] = Str(value, "name"),
                ["sprintState"] = Str(value, "state"),
                ["boardId"] = value.TryGetProperty("boardId", out var b) && TryLong(b, out var boardId) ? boardId : null,
            };
        }
        if (value.ValueKind != JsonValueKind.String) return null;
        var text = value.GetString()!;
        var fields = LegacyPairs().Matches(text).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.Ordinal);
        if (!fields.TryGetValue("id", out var legacyId) || !long.TryParse(legacyId, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)) return null;
        return new JsonObject
        {
            ["sprintId"] = n,
            ["sprintName"] = fields.GetValueOrDefault("name"),
            ["sprintState"] = fields.GetValueOrDefault("state")?.ToLowerInvariant(),
            ["boardId"] = fields.TryGetValue("rapidViewId", out var rv) && long.TryParse(rv, NumberStyles.Integer, CultureInfo.InvariantCulture, out var r) ? r : null,
        };
    }

    private static IEnumerable<JsonElement> FieldArray(JsonElement issue, string field) =>
        issue.TryGetProperty("fields", out var fields) && fields.ValueKind == JsonValueKind.Object
        && fields.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray() : [];

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetRawText(),
            _ => null,
        } : null;

    private static bool TryLong(JsonElement e, out long value)
    {
        value = 0;
        return e.ValueKind switch
        {
            JsonValueKind.Number => e.TryGetInt64(out value),
            JsonValueKind.String => long.TryParse(e.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out value),
            _ => false,
        };
    }

    /// <summary>"key=value" pairs of a legacy sprint string; a name may hold commas, so a value runs up to the next ",key=" or "]".</summary>
    [GeneratedRegex(@"(?<=[\[,])(\w+)=(.*?)(?=,\w+=|\]$)")]
    private static partial Regex LegacyPairs();
}
