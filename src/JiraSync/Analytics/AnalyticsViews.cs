using JiraSync.Loading;
using JiraSync.Logging;
using static JiraSync.Loading.SqlText;

namespace JiraSync.Analytics;

/// <summary>
/// Creates or replaces the analytics views after every load, from the history tables and whatever reference
/// tables the destination holds. Where a reference table is missing (statuses, sprints, fields: a tap that does not
/// emit them), the views read the same facts from the issues themselves: an issue's status carries its category,
/// its Sprint field carries the sprint's dates, and the issues table's field columns carry the fields' names.
/// The SQL is one text for DuckDB and PostgreSQL except where <see cref="SqlDialect"/> says otherwise. Definitions:
/// docs/analytics.md.
/// </summary>
internal static class AnalyticsViews
{
    public const string StatusLookup = "status_lookup";
    public const string StatusTransitions = "issue_status_transitions";
    public const string TimeInStatus = "issue_time_in_status";
    public const string IssueEnhanced = "issue_enhanced";
    public const string SprintLookup = "sprint_lookup";
    public const string SprintScope = "sprint_scope";
    public const string SprintSummary = "sprint_summary";
    public const string CustomFields = "issue_custom_fields";

    /// <summary>Creates or replaces every view whose tables exist; a view that cannot be replaced (say another view
    /// of the user's depends on its old columns) is left as it was, with a warning.</summary>
    public static async Task RefreshAsync(IAnalyticsSql sql, ILog log, CancellationToken ct)
    {
        var issues = await sql.ColumnsAsync("issues", ct);
        var history = await sql.ColumnsAsync(HistoryTables.FieldHistory, ct);
        if (issues is null || history is null) return;
        var names = await CurrentFieldNamesAsync(sql, ct);
        await RenameFieldsAsync(sql, names, ct);
        var q = new ViewSql(sql, names, issues, await TablesAsync(sql, ct), await SprintFieldIdAsync(sql, names, ct));
        var views = new List<(string Name, string Body)>
        {
            (StatusLookup, q.StatusLookup()),
            (StatusTransitions, q.StatusTransitions()),
            (TimeInStatus, q.TimeInStatus()),
        };
        if (q.SprintFieldId is not null)
        {
            views.Add((SprintLookup, q.SprintLookup()));
            views.Add((SprintScope, q.SprintScope()));
            views.Add((SprintSummary, q.SprintSummary()));
        }
        views.Add((IssueEnhanced, q.IssueEnhanced()));
        views.Add((CustomFields, q.CustomFields()));
        var replaced = 0;
        foreach (var (name, body) in views)
        {
            try { await sql.ExecAsync($"CREATE OR REPLACE VIEW {sql.TableRef(name)} AS {body}", ct); replaced++; }
            catch (Exception) when (!ct.IsCancellationRequested) { break; }
        }
        if (replaced == views.Count) return;
        // PostgreSQL replaces a view only when its columns keep their names and types; the views depend on each other,
        // so they are dropped (dependents first, never CASCADE: a view of the user's stops the refresh) and created
        // again, in one transaction: a failure leaves every view as it was.
        await sql.ExecAsync("BEGIN", ct);
        try
        {
            foreach (var name in AllViews.Reverse()) await sql.ExecAsync($"DROP VIEW IF EXISTS {sql.TableRef(name)}", ct);
            foreach (var (name, body) in views) await sql.ExecAsync($"CREATE VIEW {sql.TableRef(name)} AS {body}", ct);
            await sql.ExecAsync("COMMIT", ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            await sql.ExecAsync("ROLLBACK", ct);
            log.Warn($"analytics views were not refreshed: {e.Message.Split('\n')[0]}");
        }
    }

    /// <summary>Every view, in creation order (a view only reads views before it).</summary>
    private static readonly string[] AllViews =
        [StatusLookup, StatusTransitions, TimeInStatus, SprintLookup, SprintScope, SprintSummary, IssueEnhanced, CustomFields];

    /// <summary>Field id → current name: the fields table when a tap loads Jira's field list, else the issues
    /// table's column comments.</summary>
    public static async Task<Dictionary<string, string>> CurrentFieldNamesAsync(IAnalyticsSql sql, CancellationToken ct)
    {
        var names = FieldNames.FromColumns((await sql.ColumnCommentsAsync("issues", ct)).Select(kv => (kv.Key, (string?)kv.Value)));
        if (await sql.ColumnsAsync("fields", ct) is { } f && f.ContainsKey("id") && f.ContainsKey("name"))
        {
            var deleted = f.ContainsKey(TableSchema.DeletedAt) ? $" WHERE {Ident(TableSchema.DeletedAt)} IS NULL" : "";
            await sql.ReadAsync($"SELECT CAST({Ident("id")} AS VARCHAR), CAST({Ident("name")} AS VARCHAR) FROM {sql.TableRef("fields")}{deleted}", r =>
            {
                if (!r.IsDBNull(0) && !r.IsDBNull(1)) names[r.GetString(0)] = r.GetString(1);
            }, ct);
        }
        return names;
    }

    /// <summary>Gives history rows their field's current name (a field renamed since an issue was last loaded).</summary>
    private static async Task RenameFieldsAsync(IAnalyticsSql sql, Dictionary<string, string> names, CancellationToken ct)
    {
        if (names.Count == 0) return;
        var values = string.Join(", ", names.Select(kv => $"({Literal(kv.Key)}, {Literal(kv.Value)})"));
        foreach (var table in new[] { HistoryTables.FieldHistory, HistoryTables.MultiselectHistory })
        {
            if (await sql.ColumnsAsync(table, ct) is null) continue;
            await sql.ExecAsync(
                $"UPDATE {sql.TableRef(table)} SET field_name = n.field_name FROM (VALUES {values}) AS n(field_id, field_name) " +
                $"WHERE {sql.TableRef(table)}.field_id = n.field_id AND {sql.TableRef(table)}.field_name <> n.field_name", ct);
        }
    }

    /// <summary>The Sprint custom field: by its name in the field list, else the field the history recorded as "Sprint".</summary>
    private static async Task<string?> SprintFieldIdAsync(IAnalyticsSql sql, Dictionary<string, string> names, CancellationToken ct)
    {
        if (names.FirstOrDefault(kv => kv.Value == "Sprint" && kv.Key.StartsWith("customfield_", StringComparison.Ordinal)).Key is { } id) return id;
        if (await sql.ColumnsAsync(HistoryTables.MultiselectHistory, ct) is null) return null;
        string? found = null;
        await sql.ReadAsync($"SELECT min(field_id) FROM {sql.TableRef(HistoryTables.MultiselectHistory)} WHERE field_name = 'Sprint' AND field_id LIKE 'customfield%'",
            r => found = r.IsDBNull(0) ? null : r.GetString(0), ct);
        return found;
    }

    private static async Task<Dictionary<string, Dictionary<string, ColumnType>>> TablesAsync(IAnalyticsSql sql, CancellationToken ct)
    {
        var result = new Dictionary<string, Dictionary<string, ColumnType>>(StringComparer.Ordinal);
        foreach (var t in new[] { HistoryTables.MultiselectHistory, "statuses", "sprints", "issue_comments", "worklogs" })
            if (await sql.ColumnsAsync(t, ct) is { } columns) result[t] = columns;
        return result;
    }

    /// <summary>Safe, unique column names for custom fields: lower case letters, digits and underscores, at most 63
    /// bytes (PostgreSQL's limit); names held by two fields, or equal to a fixed column, get the field id as suffix.</summary>
    public static Dictionary<string, string> ColumnNames(IReadOnlyDictionary<string, string> fieldNames, IReadOnlySet<string> reserved)
    {
        var safe = fieldNames.ToDictionary(kv => kv.Key, kv => SafeIdentifier(kv.Value), StringComparer.Ordinal);
        var counts = safe.Values.GroupBy(v => v).ToDictionary(g => g.Key, g => g.Count());
        return safe.ToDictionary(kv => kv.Key, kv =>
            counts[kv.Value] > 1 || reserved.Contains(kv.Value) ? Truncate(kv.Value, 62 - kv.Key.Length) + "_" + kv.Key : kv.Value,
            StringComparer.Ordinal);
    }

    /// <summary>A field name as an identifier: "Story Points" → story_points, "Go-Live" → go_live, "2nd tier" → f_2nd_tier.</summary>
    public static string SafeIdentifier(string name)
    {
        var chars = new System.Text.StringBuilder();
        foreach (var ch in name.Normalize(System.Text.NormalizationForm.FormD))
        {
            if (System.Globalization.CharUnicodeInfo.GetUnicodeCategory(ch) == System.Globalization.UnicodeCategory.NonSpacingMark) continue;
            var c = char.ToLowerInvariant(ch);
            chars.Append(c is >= 'a' and <= 'z' or >= '0' and <= '9' ? c : '_');
        }
        var s = string.Join('_', chars.ToString().Split('_', StringSplitOptions.RemoveEmptyEntries));
        if (s.Length == 0) s = "field";
        if (char.IsDigit(s[0])) s = "f_" + s;
        return Truncate(s, 63);
    }

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..Math.Max(1, max)].TrimEnd('_');
}
