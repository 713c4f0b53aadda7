using System.Text.Json;

namespace JiraSync.Analytics;

/// <summary>One changelog history of an issue (Jira's Changelog bean: id, created, author, items), as read back from
/// the destination's changelogs table.</summary>
/// <param name="Id">The history id (numeric text; ties in <paramref name="Created"/> are ordered by it as a number).</param>
/// <param name="Created">When the change was made (Jira's "created").</param>
/// <param name="AuthorId">accountId on Cloud, key or name on Server/DC; null for anonymous changes and automation
/// without an actor.</param>
/// <param name="Items">The fields the history changed, in Jira's order.</param>
internal sealed record ChangeEntry(string Id, DateTimeOffset Created, string? AuthorId, IReadOnlyList<ChangeItem> Items)
{
    /// <summary>Jira's order of histories: by time, ties by id compared as a number ("99" before "101";
    /// analytics-notes.md §3.9).</summary>
    public static int Compare(ChangeEntry a, ChangeEntry b)
    {
        var c = a.Created.CompareTo(b.Created);
        if (c != 0) return c;
        c = a.Id.Length.CompareTo(b.Id.Length);
        return c != 0 ? c : string.CompareOrdinal(a.Id, b.Id);
    }

    /// <summary>The author's id from the changelog's author object (Cloud accountId, else Server key or name).</summary>
    public static string? AuthorIdOf(JsonElement author)
    {
        if (author.ValueKind != JsonValueKind.Object) return null;
        foreach (var name in (ReadOnlySpan<string>)["accountId", "key", "name"])
            if (author.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s)
                return s;
        return null;
    }
}

/// <summary>One item of a history ([spec] ChangeDetails): <c>field</c> is the display name at the time of the change,
/// <c>fieldId</c> the stable id (missing on some Cloud items and on Jira 8 Server); <c>from</c>/<c>to</c> carry ids or
/// machine values, <c>fromString</c>/<c>toString</c> (here FromDisplay/ToDisplay) display text.</summary>
internal sealed record ChangeItem(string? Field, string? FieldId, string? FieldType, string? From, string? FromDisplay, string? To, string? ToDisplay)
{
    /// <summary>Reads the items array of a history; items that are not objects are skipped.</summary>
    public static List<ChangeItem> ParseItems(JsonElement items)
    {
        var list = new List<ChangeItem>();
        if (items.ValueKind != JsonValueKind.Array) return list;
        foreach (var i in items.EnumerateArray())
        {
            if (i.ValueKind != JsonValueKind.Object) continue;
            // Cloud user fields may leave from/to empty and carry the account ids in tmpFromAccountId/tmpToAccountId.
            list.Add(new ChangeItem(Text(i, "field"), Text(i, "fieldId"), Text(i, "fieldtype"),
                Text(i, "from") ?? Text(i, "tmpFromAccountId"), Text(i, "fromString"),
                Text(i, "to") ?? Text(i, "tmpToAccountId"), Text(i, "toString")));
        }
        return list;
    }

    private static string? Text(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString() is { Length: > 0 } s ? s : null,
            JsonValueKind.Number => v.GetRawText(),
            _ => null,
        } : null;
}
