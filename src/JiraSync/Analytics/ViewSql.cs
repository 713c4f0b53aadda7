using JiraSync.Loading;
using static JiraSync.Loading.SqlText;

namespace JiraSync.Analytics;

/// <summary>The analytics views' SELECT texts for one destination: which reference tables exist, the fields' current
/// names, and the dialect decide the text. Status categories are matched by key (<c>new</c>, <c>indeterminate</c>,
/// <c>done</c>), never by name (analytics-notes.md §3.6). Time is calendar time in seconds (double precision).</summary>
internal sealed class ViewSql
{
    private readonly IAnalyticsSql _sql;
    private readonly IReadOnlyDictionary<string, string> _names;
    private readonly IReadOnlyDictionary<string, ColumnType> _issueColumns;
    private readonly IReadOnlyDictionary<string, Dictionary<string, ColumnType>> _tables;
    private readonly string _h, _m, _issues, _ts, _double, _text;

    public ViewSql(IAnalyticsSql sql, IReadOnlyDictionary<string, string> names, IReadOnlyDictionary<string, ColumnType> issueColumns,
        IReadOnlyDictionary<string, Dictionary<string, ColumnType>> tables, string? sprintFieldId)
    {
        _sql = sql;
        _names = names;
        _issueColumns = issueColumns;
        _tables = tables;
        _h = sql.TableRef(HistoryTables.FieldHistory);
        _m = sql.TableRef(HistoryTables.MultiselectHistory);
        _issues = sql.TableRef("issues");
        _ts = sql.TypeName(ColumnType.Timestamp);
        _double = sql.TypeName(ColumnType.Double);
        _text = sql.TypeName(ColumnType.Text);
        SprintFieldId = tables.ContainsKey(HistoryTables.MultiselectHistory) ? sprintFieldId : null;
    }

    /// <summary>The Sprint field's id; null when the site has none known (then there are no sprint views).</summary>
    public string? SprintFieldId { get; }

    private string Seconds(string from, string until) => $"CAST(EXTRACT(EPOCH FROM {until}) - EXTRACT(EPOCH FROM {from}) AS {_double})";

    private static string NotDeleted(string alias = "") => $"{alias}{Ident(TableSchema.DeletedAt)} IS NULL";

    private string View(string name) => _sql.TableRef(name);

    private bool Has(string table, params string[] columns) =>
        _tables.TryGetValue(table, out var c) && columns.All(c.ContainsKey);

    /// <summary>Status periods with names and categories, numbered per issue in time order (ties: the value at
    /// creation first, then by changelog id as a number).</summary>
    private string StatusPeriods() =>
        $"SELECT h.issue_id, h.value AS status_id, COALESCE(l.status, h.value_display) AS status, l.status_category, " +
        $"h.valid_from, h.valid_until, h.changed_by, " +
        $"row_number() OVER (PARTITION BY h.issue_id ORDER BY h.valid_from, h.changelog_id IS NOT NULL, length(h.changelog_id), h.changelog_id) AS visit " +
        $"FROM {_h} AS h LEFT JOIN {View(AnalyticsViews.StatusLookup)} AS l ON l.status_id = h.value " +
        $"WHERE h.field_id = 'status' AND {NotDeleted("h.")}";

    /// <summary>One row per status id with its current name and category: the statuses table where loaded, then the
    /// statuses issues hold now (each carries its category), then names seen only in the history.</summary>
    public string StatusLookup()
    {
        var sources = new List<string>();
        if (Has("statuses", "id", "name", "statusCategory"))
            sources.Add($"SELECT CAST({Ident("id")} AS {_text}) AS status_id, CAST({Ident("name")} AS {_text}) AS status, " +
                        $"{Ident("statusCategory")}->>'key' AS status_category, {Ident("statusCategory")}->>'name' AS status_category_name, 1 AS source " +
                        $"FROM {_sql.TableRef("statuses")}" + (Has("statuses", TableSchema.DeletedAt) ? $" WHERE {NotDeleted()}" : ""));
        sources.Add("SELECT fields->'status'->>'id' AS status_id, fields->'status'->>'name' AS status, fields->'status'->'statusCategory'->>'key' AS status_category, " +
                    $"fields->'status'->'statusCategory'->>'name' AS status_category_name, 2 AS source FROM {_issues} WHERE {NotDeleted()}");
        sources.Add($"SELECT value AS status_id, value_display AS status, CAST(NULL AS {_text}) AS status_category, CAST(NULL AS {_text}) AS status_category_name, 3 AS source FROM {_h} WHERE field_id = 'status'");
        static string First(string column) => $"(array_agg({column} ORDER BY source) FILTER (WHERE {column} IS NOT NULL))[1] AS {column}";
        return $"SELECT status_id, {First("status")}, {First("status_category")}, {First("status_category_name")} " +
               $"FROM ({string.Join(" UNION ALL ", sources)}) AS s WHERE status_id IS NOT NULL GROUP BY status_id";
    }

    public string StatusTransitions() =>
        "SELECT issue_id, from_status_id, from_status, to_status_id, to_status, transitioned_at, seconds_in_from_status, changed_by, sequence FROM (" +
        "SELECT p.issue_id, lag(p.status_id) OVER w AS from_status_id, lag(p.status) OVER w AS from_status, " +
        "p.status_id AS to_status_id, p.status AS to_status, p.valid_from AS transitioned_at, " +
        $"{Seconds("lag(p.valid_from) OVER w", "p.valid_from")} AS seconds_in_from_status, p.changed_by, p.visit - 1 AS sequence " +
        $"FROM ({StatusPeriods()}) AS p WINDOW w AS (PARTITION BY p.issue_id ORDER BY p.visit)) AS t WHERE sequence > 0";

    public string TimeInStatus() =>
        "SELECT p.issue_id, p.status_id, max(p.status) AS status, max(p.status_category) AS status_category, count(*) AS entries, " +
        $"sum({Seconds("p.valid_from", "COALESCE(p.valid_until, now())")}) AS seconds " +
        $"FROM ({StatusPeriods()}) AS p GROUP BY p.issue_id, p.status_id";

    /// <summary>Sprints by id: the sprints table where loaded, else the sprint objects issues carry in their Sprint
    /// field (the newest extracted copy wins: state and dates change).</summary>
    public string SprintLookup()
    {
        if (Has("sprints", "id", "name", "state", "startDate", "endDate", "completeDate"))
        {
            var board = Has("sprints", "originBoardId") ? $"CAST({Ident("originBoardId")} AS {_text})" : $"CAST(NULL AS {_text})";
            return $"SELECT CAST({Ident("id")} AS {_text}) AS sprint_id, CAST({Ident("name")} AS {_text}) AS sprint, CAST({Ident("state")} AS {_text}) AS state, " +
                   $"{board} AS board_id, CAST({Ident("startDate")} AS {_ts}) AS start_at, CAST({Ident("endDate")} AS {_ts}) AS end_at, " +
                   $"CAST({Ident("completeDate")} AS {_ts}) AS completed_at FROM {_sql.TableRef("sprints")}" +
                   (Has("sprints", TableSchema.DeletedAt) ? $" WHERE {NotDeleted()}" : "");
        }
        var field = $"i.fields->{Literal(SprintFieldId!)}";
        var elements = _sql.Dialect == SqlDialect.Postgres
            ? $"jsonb_array_elements(CASE WHEN jsonb_typeof({field}) = 'array' THEN {field} ELSE CAST('[]' AS jsonb) END) AS je(value)"
            : $"json_each(CASE WHEN json_type({field}) = 'ARRAY' THEN {field} ELSE CAST('[]' AS JSON) END) AS je";
        string Newest(string expr, string alias) => $"(array_agg({expr} ORDER BY i.{Ident(TableSchema.ExtractedAt)} DESC))[1] AS {alias}";
        return $"SELECT je.value->>'id' AS sprint_id, {Newest("je.value->>'name'", "sprint")}, {Newest("je.value->>'state'", "state")}, " +
               $"{Newest("je.value->>'boardId'", "board_id")}, {Newest($"CAST(je.value->>'startDate' AS {_ts})", "start_at")}, " +
               $"{Newest($"CAST(je.value->>'endDate' AS {_ts})", "end_at")}, {Newest($"CAST(je.value->>'completeDate' AS {_ts})", "completed_at")} " +
               $"FROM {_issues} AS i, {elements} WHERE (je.value->>'id') IS NOT NULL GROUP BY (je.value->>'id')";
    }

    /// <summary>The story points expression over issues alias i (null when the site has no such field).</summary>
    private string StoryPoints()
    {
        var id = StoryPointNames.Select(n => _names.FirstOrDefault(kv => kv.Value == n && kv.Key.StartsWith("customfield_", StringComparison.Ordinal)).Key)
            .FirstOrDefault(k => k is not null);
        return id is null ? $"CAST(NULL AS {_double})" : $"CAST(i.fields->>{Literal(id)} AS {_double})";
    }

    /// <summary>Names Jira sites give the story points field (company-managed and team-managed projects).</summary>
    private static readonly string[] StoryPointNames = ["Story Points", "Story point estimate"];

    /// <summary>Membership of each issue in each sprint, from the Sprint field's history.</summary>
    public string SprintScope()
    {
        var start = "COALESCE(s.start_at, now())";
        var end = "COALESCE(s.completed_at, now())";
        var member = (string at) => $"m.valid_from <= {at} AND (m.valid_until IS NULL OR m.valid_until > {at})";
        var scope =
            $"SELECT m.value AS sprint_id, m.issue_id, min(m.valid_from) AS added_at, " +
            "CASE WHEN count(*) = count(m.valid_until) THEN max(m.valid_until) END AS removed_at, " +
            $"COALESCE(bool_or({member(start)}), false) AS in_scope_at_start, COALESCE(bool_or({member(end)}), false) AS in_scope_at_end, " +
            $"max({end}) AS end_instant, COALESCE(bool_or(s.start_at IS NOT NULL), false) AS started " +
            $"FROM {_m} AS m LEFT JOIN {View(AnalyticsViews.SprintLookup)} AS s ON s.sprint_id = m.value " +
            $"WHERE m.field_id = {Literal(SprintFieldId!)} AND {NotDeleted("m.")} GROUP BY m.value, m.issue_id";
        return "SELECT x.sprint_id, x.issue_id, x.added_at, x.removed_at, x.in_scope_at_start, x.in_scope_at_end, " +
               "(x.started AND x.in_scope_at_end AND EXISTS (SELECT 1 FROM (" + StatusPeriods() + ") AS p WHERE p.issue_id = x.issue_id AND p.status_category = 'done' " +
               "AND p.valid_from <= x.end_instant AND (p.valid_until IS NULL OR p.valid_until > x.end_instant))) AS completed_in_sprint, " +
               $"{StoryPoints()} AS story_points " +
               $"FROM ({scope}) AS x LEFT JOIN {_issues} AS i ON CAST(i.{Ident("id")} AS {_text}) = x.issue_id";
    }

    public string SprintSummary()
    {
        var added = "NOT c.in_scope_at_start AND s.start_at IS NOT NULL AND c.added_at > s.start_at AND c.added_at < COALESCE(s.completed_at, now())";
        var removed = "c.removed_at IS NOT NULL AND c.removed_at > COALESCE(s.start_at, now()) AND c.removed_at <= COALESCE(s.completed_at, now())";
        var carried = "s.completed_at IS NOT NULL AND c.in_scope_at_end AND NOT c.completed_in_sprint";
        string Count(string cond, string alias) => $"count(CASE WHEN {cond} THEN 1 END) AS {alias}_issues, sum(CASE WHEN {cond} THEN c.story_points END) AS {alias}_points";
        return "SELECT s.sprint_id, s.sprint, s.state, s.start_at, s.end_at, s.completed_at, " +
               $"{Count("c.in_scope_at_start", "committed")}, {Count(added, "added")}, {Count(removed, "removed")}, " +
               $"{Count("c.completed_in_sprint", "completed")}, {Count(carried, "carried_over")} " +
               $"FROM {View(AnalyticsViews.SprintLookup)} AS s LEFT JOIN {View(AnalyticsViews.SprintScope)} AS c ON c.sprint_id = s.sprint_id " +
               "GROUP BY s.sprint_id, s.sprint, s.state, s.start_at, s.end_at, s.completed_at";
    }

    public string IssueEnhanced()
    {
        var periods = $"SELECT p.*, lag(p.status_category) OVER (PARTITION BY p.issue_id ORDER BY p.visit) AS previous_category FROM ({StatusPeriods()}) AS p";
        var arrival = "p.status_category = 'done' AND COALESCE(p.previous_category, '') <> 'done'";
        var flow = $"SELECT p.issue_id, min(p.valid_from) AS created, min(CASE WHEN {arrival} THEN p.valid_from END) AS first_resolved_at, " +
                   $"max(CASE WHEN {arrival} THEN p.valid_from END) AS last_resolved_at, " +
                   "min(CASE WHEN p.status_category = 'indeterminate' THEN p.valid_from END) AS first_in_progress_at, " +
                   "max(CASE WHEN p.valid_until IS NULL THEN p.status_category END) AS current_category, " +
                   "CAST(sum(CASE WHEN p.previous_category = 'done' AND COALESCE(p.status_category, '') <> 'done' THEN 1 ELSE 0 END) AS BIGINT) AS reopen_count " +
                   $"FROM ({periods}) AS p GROUP BY p.issue_id";
        var id = $"CAST(i.{Ident("id")} AS {_text})";
        var category = "COALESCE(l.status_category, (i.fields->'status'->'statusCategory'->>'key'))";
        var joins = new List<string>
        {
            $"LEFT JOIN ({flow}) AS f ON f.issue_id = {id}",
            $"LEFT JOIN {View(AnalyticsViews.StatusLookup)} AS l ON l.status_id = (i.fields->'status'->>'id')",
        };
        string comments, logged, sprint = $"CAST(NULL AS {_text})";
        if (Has("issue_comments", "issueId", TableSchema.DeletedAt))
        {
            joins.Add($"LEFT JOIN (SELECT CAST({Ident("issueId")} AS {_text}) AS issue_id, count(*) AS n FROM {_sql.TableRef("issue_comments")} " +
                      $"WHERE {NotDeleted()} GROUP BY 1) AS cm ON cm.issue_id = {id}");
            comments = "COALESCE(cm.n, 0)";
        }
        else comments = "CAST(i.fields->'comment'->>'total' AS BIGINT)";
        if (Has("worklogs", "issueId", "timeSpentSeconds", TableSchema.DeletedAt))
        {
            joins.Add($"LEFT JOIN (SELECT CAST({Ident("issueId")} AS {_text}) AS issue_id, sum({Ident("timeSpentSeconds")}) AS s FROM {_sql.TableRef("worklogs")} " +
                      $"WHERE {NotDeleted()} GROUP BY 1) AS wl ON wl.issue_id = {id}");
            logged = "CAST(COALESCE(wl.s, 0) AS BIGINT)";
        }
        else logged = $"CAST(CAST(i.fields->>'timespent' AS {_double}) AS BIGINT)";
        if (SprintFieldId is { } sprintField)
        {
            // An issue keeps every closed sprint it was in, plus at most one open one: that one is current, else the newest.
            joins.Add("LEFT JOIN (SELECT issue_id, sprint FROM (SELECT m.issue_id, COALESCE(s.sprint, m.value_display, m.value) AS sprint, " +
                      "row_number() OVER (PARTITION BY m.issue_id ORDER BY CASE WHEN s.state IN ('active', 'future') THEN 0 ELSE 1 END, " +
                      "s.start_at DESC NULLS LAST, m.valid_from DESC) AS rn " +
                      $"FROM {_m} AS m LEFT JOIN {View(AnalyticsViews.SprintLookup)} AS s ON s.sprint_id = m.value " +
                      $"WHERE m.field_id = {Literal(sprintField)} AND m.valid_until IS NULL AND {NotDeleted("m.")}) AS r WHERE rn = 1) AS cs ON cs.issue_id = {id}");
            sprint = "cs.sprint";
        }
        var parent = "i.fields->'parent'";
        var epic = $"CASE WHEN ({parent}->'fields'->'issuetype'->>'hierarchyLevel') = '1' OR ({parent}->'fields'->'issuetype'->>'name') = 'Epic' THEN ({parent}->>'key') END";
        if (_names.FirstOrDefault(kv => kv.Value == "Epic Link" && kv.Key.StartsWith("customfield_", StringComparison.Ordinal)).Key is { } epicLink)
            epic = $"COALESCE({epic}, i.fields->>{Literal(epicLink)})";
        var key = _issueColumns.ContainsKey("key") ? $"CAST(i.{Ident("key")} AS {_text})" : $"CAST(NULL AS {_text})";
        return $"SELECT {id} AS issue_id, {key} AS issue_key, i.fields->'project'->>'key' AS project_key, " +
               "i.fields->'issuetype'->>'name' AS issue_type, COALESCE(l.status, i.fields->'status'->>'name') AS status, " +
               $"{category} AS status_category, i.fields->'priority'->>'name' AS priority, " +
               "i.fields->'assignee'->>'displayName' AS assignee, i.fields->'reporter'->>'displayName' AS reporter, " +
               $"{parent}->>'key' AS parent_key, {epic} AS epic_key, {sprint} AS current_sprint, " +
               "f.created, f.first_resolved_at, f.last_resolved_at, " +
               $"{Seconds("f.created", "f.first_resolved_at")} AS lead_time_seconds, " +
               $"CASE WHEN f.current_category = 'done' THEN {Seconds("f.first_in_progress_at", "f.last_resolved_at")} END AS cycle_time_seconds, " +
               $"COALESCE(f.reopen_count, 0) AS reopen_count, {comments} AS comment_count, {logged} AS logged_work_seconds, " +
               $"{StoryPoints()} AS story_points " +
               $"FROM {_issues} AS i {string.Join(" ", joins)} WHERE {NotDeleted("i.")}";
    }

    /// <summary>The issues' custom fields under their current names (typed columns where the loader made them).</summary>
    public string CustomFields()
    {
        var custom = _names.Where(kv => kv.Key.StartsWith("customfield_", StringComparison.Ordinal))
            .OrderBy(kv => kv.Key.Length).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .ToDictionary(kv => kv.Key, kv => kv.Value);
        var columns = AnalyticsViews.ColumnNames(custom, new HashSet<string> { "issue_id", "issue_key" });
        var key = _issueColumns.ContainsKey("key") ? $"CAST({Ident("key")} AS {_text})" : $"CAST(NULL AS {_text})";
        var select = new List<string> { $"CAST({Ident("id")} AS {_text}) AS issue_id", $"{key} AS issue_key" };
        foreach (var (fieldId, column) in columns)
        {
            var flat = "fields" + Singer.SchemaHints.FlattenSeparator + fieldId;
            select.Add((_issueColumns.ContainsKey(flat) ? Ident(flat) : $"fields->{Literal(fieldId)}") + " AS " + Ident(column));
        }
        return $"SELECT {string.Join(", ", select)} FROM {_issues} WHERE {NotDeleted()}";
    }
}
