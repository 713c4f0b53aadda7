using System.Text.Json;
using System.Text.RegularExpressions;

namespace JiraSync.Analytics;

/// <summary>One value of a field as the history tables store it: <see cref="Value"/> is the id where Jira gives one
/// (status id, account id, option id, sprint id), else the text; <see cref="Display"/> is the text a person reads.</summary>
internal readonly record struct FieldValue(string? Value, string? Display)
{
    /// <summary>The value an issue's <c>fields</c> entry holds now, for a single-value field: objects give their id
    /// (accountId for users; key or name on Server) and name, scalars their text.</summary>
    public static FieldValue FromIssue(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.Object => new FieldValue(
            FirstString(v, "accountId", "id", "key", "name", "value"),
            FirstString(v, "displayName", "name", "value", "key")),
        JsonValueKind.String => GreenhopperSprint(v.GetString()!) ?? new FieldValue(v.GetString(), v.GetString()),
        JsonValueKind.Number => new FieldValue(v.GetRawText(), v.GetRawText()),
        JsonValueKind.True or JsonValueKind.False => new FieldValue(v.GetRawText(), v.GetRawText()),
        JsonValueKind.Array => new FieldValue(string.Join(", ", ListFromIssue(v).Select(x => x.Value)), string.Join(", ", ListFromIssue(v).Select(x => x.Display))),
        _ => new FieldValue(null, null),
    };

    /// <summary>The values of a field holding several (labels, components, versions, Sprint, multi-pickers), in the
    /// issue's order, without repeats.</summary>
    public static List<FieldValue> ListFromIssue(JsonElement v)
    {
        var list = new List<FieldValue>();
        if (v.ValueKind != JsonValueKind.Array) return list;
        foreach (var e in v.EnumerateArray())
        {
            var item = FromIssue(e);
            if (item.Value is not null && list.All(x => x.Value != item.Value)) list.Add(item);
        }
        return list;
    }

    /// <summary>One side of a changelog item that carries a whole list: the id side as <c>[1, 2]</c> (multi-pickers) or
    /// <c>1, 2</c> (Sprint), names comma-joined in the string side; or, with no id side (labels), the string side
    /// split on whitespace (a label cannot contain any). Names are paired with ids only when their counts agree
    /// (a name may itself contain ", ").</summary>
    public static List<FieldValue> ListFromChange(string? ids, string? display)
    {
        var list = new List<FieldValue>();
        if (ids is null)
        {
            foreach (var label in (display ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
                if (list.All(x => x.Value != label)) list.Add(new FieldValue(label, label));
            return list;
        }
        var idParts = ids.Trim().TrimStart('[').TrimEnd(']').Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var names = display?.Split(", ") ?? [];
        for (var i = 0; i < idParts.Length; i++)
        {
            var name = names.Length == idParts.Length ? names[i].Trim() : null;
            if (list.All(x => x.Value != idParts[i])) list.Add(new FieldValue(idParts[i], name));
        }
        return list;
    }

    private static readonly Regex GreenhopperPattern = new(@"^com\.atlassian\.greenhopper\.service\.sprint\.Sprint@[^\[]*\[(?<body>.*)\]$", RegexOptions.Compiled | RegexOptions.Singleline);

    /// <summary>Older Server and the legacy Cloud Get-issue render a sprint as
    /// <c>com.atlassian.greenhopper.service.sprint.Sprint@…[id=1,rapidViewId=…,state=…,name=…,…]</c>
    /// (jira-software-openapi.json, "Jira Software field input formats").</summary>
    private static FieldValue? GreenhopperSprint(string text)
    {
        var m = GreenhopperPattern.Match(text);
        if (!m.Success) return null;
        var body = m.Groups["body"].Value;
        var id = Regex.Match(body, @"(?:^|,)id=(?<v>[^,]*)").Groups["v"].Value;
        var name = Regex.Match(body, @"(?:^|,)name=(?<v>.*?)(?:,[a-zA-Z]+=|$)").Groups["v"].Value;
        return new FieldValue(id.Length > 0 ? id : text, name.Length > 0 ? name : null);
    }

    private static string? FirstString(JsonElement o, params ReadOnlySpan<string> names)
    {
        foreach (var n in names)
            if (o.TryGetProperty(n, out var p))
            {
                if (p.ValueKind == JsonValueKind.String && p.GetString() is { Length: > 0 } s) return s;
                if (p.ValueKind == JsonValueKind.Number) return p.GetRawText();
            }
        return null;
    }
}
