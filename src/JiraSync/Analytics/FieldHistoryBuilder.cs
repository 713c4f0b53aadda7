using System.Text.Json;

namespace JiraSync.Analytics;

/// <summary>
/// Replays an issue's changelog into field periods. Creation is not journaled (analytics-notes.md §3.7), so a
/// field's value at creation is the "from" side of its earliest change, or its current value when it never
/// changed; the first period starts at the issue's created. Histories are taken in Jira's order (time, then id as
/// a number), several items of one field in one history count as one change (§3.4), and a change that leaves the
/// value as it was opens no period. Fields holding several values become membership periods, one per value:
/// whole-list items (labels, Sprint, multi-pickers: §3.3, §3.5) are compared set against set, per-element items
/// (components, versions) add or remove one value.
/// </summary>
internal static class FieldHistoryBuilder
{
    public static IssueHistory Build(IssueSnapshot issue, IEnumerable<ChangeEntry> changelog, FieldCatalog catalog)
    {
        var entries = changelog.ToList();
        entries.Sort(ChangeEntry.Compare);

        // field id → (entry, that entry's items of the field), in order.
        var byField = new Dictionary<string, List<(ChangeEntry Entry, List<ChangeItem> Items)>>(StringComparer.Ordinal);
        foreach (var entry in entries)
            foreach (var item in entry.Items)
            {
                var id = catalog.IdOf(item);
                if (!byField.TryGetValue(id, out var changes)) byField[id] = changes = [];
                if (changes.Count > 0 && ReferenceEquals(changes[^1].Entry, entry)) changes[^1].Items.Add(item);
                else changes.Add((entry, [item]));
            }

        var fields = new List<HistoryRow>();
        var multi = new List<HistoryRow>();
        var fieldIds = new List<string>(byField.Keys);
        foreach (var id in FieldCatalog.TrackedSingle.Keys.Concat(FieldCatalog.TrackedMulti.Keys).Append(catalog.SprintFieldId))
            if (id is not null && !byField.ContainsKey(id) && issue.Fields.ValueKind == JsonValueKind.Object && issue.Fields.TryGetProperty(id, out _))
                fieldIds.Add(id);

        foreach (var id in fieldIds)
        {
            var changes = byField.GetValueOrDefault(id) ?? [];
            var current = issue.Fields.ValueKind == JsonValueKind.Object && issue.Fields.TryGetProperty(id, out var c) ? c : default;
            var name = catalog.NameOf(id, changes.Count > 0 ? changes[^1].Items[^1].Field : null);
            if (IsMulti(id, current, changes, catalog))
                multi.AddRange(Memberships(issue, id, name, current, changes));
            else
                fields.AddRange(Periods(issue, id, name, current, changes));
        }
        return new IssueHistory(fields, multi);
    }

    private static bool IsMulti(string id, JsonElement current, List<(ChangeEntry Entry, List<ChangeItem> Items)> changes, FieldCatalog catalog) =>
        id == catalog.SprintFieldId || id == "labels" || FieldCatalog.PerElementFields.Contains(id) || FieldCatalog.TrackedMulti.ContainsKey(id)
        || current.ValueKind == JsonValueKind.Array
        || changes.Any(ch => ch.Items.Any(i => i.From?.StartsWith('[') == true || i.To?.StartsWith('[') == true));

    private static IEnumerable<HistoryRow> Periods(IssueSnapshot issue, string id, string name, JsonElement current,
        List<(ChangeEntry Entry, List<ChangeItem> Items)> changes)
    {
        var first = changes.Count > 0 ? changes[0].Items[0] : null;
        var value = first is not null ? new FieldValue(first.From ?? first.FromDisplay, first.FromDisplay) : FieldValue.FromIssue(current);
        var open = new HistoryRow(issue.Id, id, name, value.Value, value.Display, issue.Created, null, null, null);
        foreach (var (entry, items) in changes)
        {
            var last = items[^1];
            var next = new FieldValue(last.To ?? last.ToDisplay, last.ToDisplay);
            if (next.Value == open.Value) continue;
            yield return open with { ValidUntil = entry.Created };
            open = new HistoryRow(issue.Id, id, name, next.Value, next.Display, entry.Created, null, entry.AuthorId, entry.Id);
        }
        yield return open;
    }

    private static IEnumerable<HistoryRow> Memberships(IssueSnapshot issue, string id, string name, JsonElement current,
        List<(ChangeEntry Entry, List<ChangeItem> Items)> changes)
    {
        var perElement = FieldCatalog.PerElementFields.Contains(id);
        List<FieldValue> initial;
        if (changes.Count == 0) initial = FieldValue.ListFromIssue(current);
        else if (!perElement) initial = FieldValue.ListFromChange(changes[0].Items[0].From, changes[0].Items[0].FromDisplay);
        else
        {
            // Per-element items never state the whole set: undo them, newest first, from the current set.
            initial = FieldValue.ListFromIssue(current);
            foreach (var item in changes.SelectMany(ch => ch.Items).Reverse())
            {
                if (item.To is not null) initial.RemoveAll(v => v.Value == item.To);
                if (item.From is not null && initial.All(v => v.Value != item.From)) initial.Add(new FieldValue(item.From, item.FromDisplay));
            }
        }

        var open = new List<HistoryRow>();
        foreach (var v in initial) open.Add(new HistoryRow(issue.Id, id, name, v.Value, v.Display, issue.Created, null, null, null));
        foreach (var (entry, items) in changes)
        {
            List<FieldValue> next;
            if (perElement)
            {
                next = open.Select(r => new FieldValue(r.Value, r.ValueDisplay)).ToList();
                foreach (var item in items)
                {
                    if (item.From is not null) next.RemoveAll(v => v.Value == item.From);
                    if (item.To is not null && next.All(v => v.Value != item.To)) next.Add(new FieldValue(item.To, item.ToDisplay));
                }
            }
            else next = FieldValue.ListFromChange(items[^1].To, items[^1].ToDisplay);

            for (var i = open.Count - 1; i >= 0; i--)
            {
                if (next.Any(v => v.Value == open[i].Value)) continue;
                yield return open[i] with { ValidUntil = entry.Created };
                open.RemoveAt(i);
            }
            foreach (var v in next)
                if (open.All(r => r.Value != v.Value))
                    open.Add(new HistoryRow(issue.Id, id, name, v.Value, v.Display, entry.Created, null, entry.AuthorId, entry.Id));
        }
        foreach (var r in open) yield return r;
    }
}
