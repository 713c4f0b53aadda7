using System.Globalization;
using System.Text.Json.Nodes;
using JiraSync.Tests.Loading;

namespace JiraSync.Tests.Analytics;

/// <summary>The analytics tables and views read back as comparable text, shared by the field-history and sync tests.</summary>
internal static class AnalyticsRows
{
    /// <summary>Every table and view, live rows, metadata columns left out, open periods' seconds left out (they grow
    /// with the clock), in a total order.</summary>
    public static readonly string[] Compared =
    [
        "SELECT issue_id, field_id, field_name, value, value_display, valid_from, valid_until, changed_by, changelog_id FROM issue_field_history WHERE _sdc_deleted_at IS NULL ORDER BY 1, 2, 6, 9",
        "SELECT issue_id, field_id, field_name, value, value_display, valid_from, valid_until, changed_by, changelog_id FROM issue_multiselect_history WHERE _sdc_deleted_at IS NULL ORDER BY 1, 2, 4, 6",
        "SELECT * FROM issue_status_transitions ORDER BY issue_id, sequence",
        "SELECT issue_id, status_id, status, status_category, entries FROM issue_time_in_status ORDER BY 1, 2",
        "SELECT * FROM issue_enhanced ORDER BY issue_id",
        "SELECT * FROM sprint_scope ORDER BY sprint_id, issue_id",
        "SELECT * FROM sprint_summary ORDER BY sprint_id",
        "SELECT * FROM issue_custom_fields ORDER BY issue_id",
    ];

    /// <summary>Rows as " | "-joined text, values normalized so both databases render them alike (instants in UTC
    /// to the microsecond, numbers to 3 decimals, JSON with sorted keys).</summary>
    public static async Task<List<string>> RowsAsync(TestDatabase db, string sql) =>
        (await db.QueryAsync(sql)).Select(r => string.Join(" | ", r.Values.Select(Text))).ToList();

    public static string Text(object? v) => v switch
    {
        null => "null",
        DateTimeOffset t => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
        DateTime t => DateTime.SpecifyKind(t, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
        double d => Math.Round(d, 3).ToString("0.###", CultureInfo.InvariantCulture),
        float f => Math.Round(f, 3).ToString("0.###", CultureInfo.InvariantCulture),
        decimal m => Math.Round(m, 3).ToString("0.###", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        string s when s.StartsWith('{') || s.StartsWith('[') => Canonical(JsonNode.Parse(s)),
        System.Numerics.BigInteger or long or int or short or ulong or uint => Convert.ToString(v, CultureInfo.InvariantCulture)!,
        _ => v.ToString()!,
    };

    public static string Canonical(JsonNode? n) => n switch
    {
        JsonObject o => "{" + string.Join(",", o.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"\"{kv.Key}\":{Canonical(kv.Value)}")) + "}",
        JsonArray a => "[" + string.Join(",", a.Select(Canonical)) + "]",
        null => "null",
        _ => n.ToJsonString(),
    };
}
