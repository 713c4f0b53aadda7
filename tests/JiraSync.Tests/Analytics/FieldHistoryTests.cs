using System.Globalization;
using System.Text.Json.Nodes;
using JiraSync.Analytics;
using JiraSync.Loading;
using JiraSync.Logging;
using JiraSync.Singer;
using JiraSync.Tests.Loading;
using static JiraSync.Tests.Analytics.KnownHistories;

namespace JiraSync.Tests.Analytics;

/// <summary>
/// The history tables and analytics views on real DuckDB and PostgreSQL, fed as `target` is (the loader reading
/// Singer messages), with the known histories of <see cref="KnownHistories"/>: every expected value is computed
/// here from the stated timelines, never with the SQL under test.
/// </summary>
public class FieldHistoryTests
{
    public static TheoryData<string> Sql => new() { "duckdb", "postgres" };

    /// <summary>Loads the messages; with <paramref name="batchPerState"/> every STATE commits a batch (else one batch).</summary>
    private static async Task LoadAsync(TestDatabase db, bool batchPerState, params IEnumerable<SingerMessage>[] parts)
    {
        await using var destination = await db.OpenAsync();
        var options = batchPerState ? new LoadOptions { BatchRows = 1, Pipelined = false, SqlBatchHooks = [new AnalyticsHook()] } : new LoadOptions { Pipelined = false, SqlBatchHooks = [new AnalyticsHook()] };
        await new Loader(destination, new MemoryLog(), options).LoadAsync(Messages.Stream(parts.SelectMany(p => p).ToArray()));
    }

    private static StateMessage State(int n) => new(new JsonObject { ["bookmarks"] = new JsonObject { ["n"] = n } });

    /// <summary>Two runs: the first sends every issue with its changelog as it stood then; the second, after the
    /// severity field was renamed "Impact", re-sends issue 101 in one batch and its two new histories in a later one
    /// (as a target may receive them), then a deletion notice for issue 108.</summary>
    private static async Task LoadIncrementallyAsync(TestDatabase db)
    {
        var first = Build(final: false);
        var messages = new List<SingerMessage> { IssuesSchema("Severity"), ChangelogsSchema() };
        foreach (var i in first)
        {
            messages.Add(IssueRecord(i));
            messages.AddRange(i.Changes.Select(c => ChangelogRecord(i, c)));
        }
        messages.Add(State(1));
        await LoadAsync(db, false, messages);

        var final = Build(final: true);
        var a = final.Single(i => i.Id == "101");
        var known = first.Single(i => i.Id == "101").Changes.Select(c => c.Id).ToHashSet();
        await LoadAsync(db, true,
            [IssuesSchema("Impact"), ChangelogsSchema(), IssueRecord(a), State(2)],
            a.Changes.Where(c => !known.Contains(c.Id)).Select(c => (SingerMessage)ChangelogRecord(a, c)).Append(State(3)),
            [new RecordMessage("issues", new JsonObject { ["id"] = "108", ["_sdc_deleted_at"] = SingerTime.Format(DateTimeOffset.UtcNow) }, DateTimeOffset.UtcNow, null), State(4)]);
    }

    /// <summary>One run with the final data, as a fresh full sync would see it (issue 108 no longer exists).</summary>
    private static async Task LoadFullyAsync(TestDatabase db)
    {
        var messages = new List<SingerMessage> { IssuesSchema("Impact"), ChangelogsSchema() };
        foreach (var i in Build(final: true).Where(i => i.Id != "108"))
        {
            messages.Add(IssueRecord(i));
            messages.AddRange(i.Changes.Select(c => ChangelogRecord(i, c)));
        }
        messages.Add(State(1));
        await LoadAsync(db, false, messages);
    }

    [Theory, MemberData(nameof(Sql))]
    public async Task Every_status_move_appears_once_with_its_exact_time(string kind)
    {
        await using var db = new TestDatabase(kind);
        await LoadIncrementallyAsync(db);
        var expected = new List<string>();
        foreach (var issue in Build(final: true).Where(i => i.Id != "108"))
        {
            var t = issue.StatusTimeline;
            for (var k = 1; k < t.Count; k++)
                expected.Add(string.Join(" | ", issue.Id, t[k - 1].Status, Statuses[t[k - 1].Status].Name, t[k].Status, Statuses[t[k].Status].Name,
                    AnalyticsRows.Text(t[k].From), AnalyticsRows.Text((t[k].From - t[k - 1].From).TotalSeconds), t[k].By ?? "null", k));
        }
        var actual = await AnalyticsRows.RowsAsync(db, "SELECT issue_id, from_status_id, from_status, to_status_id, to_status, transitioned_at, seconds_in_from_status, changed_by, sequence FROM issue_status_transitions");
        Assert.Equal(expected.Order(), actual.Order());
        Assert.Equal(250, actual.Count(r => r.StartsWith("102 |", StringComparison.Ordinal)));
    }

    [Theory, MemberData(nameof(Sql))]
    public async Task Time_in_status_adds_up_to_the_time_since_creation_and_closed_visits_are_exact(string kind)
    {
        await using var db = new TestDatabase(kind);
        await LoadIncrementallyAsync(db);
        var before = DateTimeOffset.UtcNow;
        var rows = await db.QueryAsync("SELECT issue_id, status_id, status, status_category, entries, seconds FROM issue_time_in_status");
        var after = DateTimeOffset.UtcNow;
        foreach (var issue in Build(final: true).Where(i => i.Id != "108"))
        {
            var mine = rows.Where(r => (string)r["issue_id"]! == issue.Id).ToList();
            var total = mine.Sum(r => Convert.ToDouble(r["seconds"]));
            Assert.InRange(total, (before - issue.Created).TotalSeconds - 1, (after - issue.Created).TotalSeconds + 1);
            var t = issue.StatusTimeline;
            var current = t[^1].Status;
            foreach (var group in t.Select((p, k) => (p.Status, Seconds: k + 1 < t.Count ? (t[k + 1].From - p.From).TotalSeconds : (double?)null)).GroupBy(p => p.Status))
            {
                var row = Assert.Single(mine, r => (string)r["status_id"]! == group.Key);
                Assert.Equal(group.Count(), Convert.ToInt64(row["entries"]));
                Assert.Equal(Statuses[group.Key].Name, row["status"]);
                Assert.Equal(Statuses[group.Key].Category, row["status_category"]);
                if (group.Key != current) Assert.Equal(group.Sum(p => p.Seconds!.Value), Convert.ToDouble(row["seconds"]), 3);
            }
            Assert.Equal(t.Select(p => p.Status).Distinct().Count(), mine.Count);
        }
    }

    [Theory, MemberData(nameof(Sql))]
    public async Task Histories_start_with_the_value_at_creation_and_follow_each_change(string kind)
    {
        await using var db = new TestDatabase(kind);
        await LoadIncrementallyAsync(db);
        var fields = await AnalyticsRows.RowsAsync(db, "SELECT issue_id, field_id, field_name, value, value_display, valid_from, valid_until, changed_by, changelog_id " +
                                         "FROM issue_field_history WHERE _sdc_deleted_at IS NULL AND field_id NOT IN ('issuetype', 'priority', 'resolution')");
        string Row(string issue, string field, string name, string? value, string? display, DateTimeOffset from, DateTimeOffset? until, string? by, string? changelog) =>
            string.Join(" | ", issue, field, name, value ?? "null", display ?? "null", AnalyticsRows.Text(from), until is { } u ? AnalyticsRows.Text(u) : "null", by ?? "null", changelog ?? "null");
        var expected = new List<string>();
        foreach (var issue in Build(final: true).Where(i => i.Id != "108"))
        {
            var t = issue.StatusTimeline;
            for (var k = 0; k < t.Count; k++)
                expected.Add(Row(issue.Id, "status", "Status", t[k].Status, Statuses[t[k].Status].Name, t[k].From, k + 1 < t.Count ? t[k + 1].From : null, t[k].By,
                    k == 0 ? null : issue.Changes.First(c => c.At == t[k].From && c.Items.Any(x => (string?)x["to"] == t[k].Status)).Id));
            var project = issue.Id == "104" ? "10001" : "10000";
            if (issue.Id == "104")
            {
                expected.Add(Row("104", "project", "Project", "10000", "Engineering", T0, H(3), null, null));
                expected.Add(Row("104", "project", "Project", "10001", "Operations", H(3), null, "u2", "4001"));
                expected.Add(Row("104", "key", "Key", "ENG-4", "ENG-4", T0, H(3), null, null));
                expected.Add(Row("104", "key", "Key", "OPS-1", "OPS-1", H(3), null, "u2", "4001"));
            }
            else expected.Add(Row(issue.Id, "project", "Project", project, "Engineering", issue.Created, null, null, null));
            if (issue.Id == "101")
            {
                expected.Add(Row("101", "assignee", "Assignee", null, null, T0, H(2), null, null));
                expected.Add(Row("101", "assignee", "Assignee", "u2", "User u2", H(2), null, null, "1002"));
            }
            else expected.Add(Row(issue.Id, "assignee", "Assignee", null, null, issue.Created, null, null, null));
            if (issue.Id == "107")
            {
                // Renamed between runs: the rows of an issue not re-sent carry the new name too.
                expected.Add(Row("107", SeverityField, "Impact", "20001", "Low", D(3), D(4), null, null));
                expected.Add(Row("107", SeverityField, "Impact", "20002", "High", D(4), null, "u2", "7001"));
            }
        }
        Assert.Equal(expected.Order(), fields.Order());

        var multi = await AnalyticsRows.RowsAsync(db, "SELECT issue_id, field_id, field_name, value, value_display, valid_from, valid_until, changed_by, changelog_id " +
                                        "FROM issue_multiselect_history WHERE _sdc_deleted_at IS NULL");
        Assert.Equal(new[]
        {
            Row("101", "labels", "Labels", "alpha", "alpha", H(2), null, null, "1002"),
            Row("101", "labels", "Labels", "beta", "beta", H(2), null, null, "1002"),
            Row("101", "components", "Components", "10101", "Frontend", T0, null, null, null),
            Row("101", "components", "Components", "10100", "Backend", H(5), null, "u1", "1003"),
            Row("105", SprintField, "Sprint", "1", "Sprint 1", T0, null, null, null),
            Row("106", SprintField, "Sprint", "1", "Sprint 1", H(12), null, "u1", "6001"),
            Row("106", SprintField, "Sprint", "2", "Sprint 2", D(15), null, null, "6002"),
            Row("107", SprintField, "Sprint", "1", "Sprint 1", D(4), D(6), "u2", "7001"),
        }.Order(), multi.Order());
    }

    [Theory, MemberData(nameof(Sql))]
    public async Task A_deleted_issue_keeps_its_history_marked_deleted_and_leaves_the_views(string kind)
    {
        await using var db = new TestDatabase(kind);
        await LoadIncrementallyAsync(db);
        var rows = await db.QueryAsync("SELECT _sdc_deleted_at FROM issue_field_history WHERE issue_id = '108'");
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.NotNull(r["_sdc_deleted_at"]));
        foreach (var view in new[] { "issue_status_transitions", "issue_time_in_status", "issue_enhanced", "issue_custom_fields" })
            Assert.Equal(0L, Convert.ToInt64(await db.ScalarAsync($"SELECT count(*) FROM {view} WHERE issue_id = '108'")));
    }

    [Theory, MemberData(nameof(Sql))]
    public async Task Enhanced_issues_give_lead_and_cycle_time_reopens_and_the_current_sprint(string kind)
    {
        await using var db = new TestDatabase(kind);
        await LoadIncrementallyAsync(db);
        var rows = (await db.QueryAsync("SELECT * FROM issue_enhanced")).ToDictionary(r => (string)r["issue_id"]!);
        Assert.Equal(8, rows.Count);
        var a = rows["101"];
        Assert.Equal(("ENG-1", "ENG", "Done", "done", "User u2"), ((string)a["issue_key"]!, (string)a["project_key"]!, (string)a["status"]!, (string)a["status_category"]!, (string)a["assignee"]!));
        Assert.Equal(AnalyticsRows.Text(H(2)), AnalyticsRows.Text(a["first_resolved_at"]));
        Assert.Equal(AnalyticsRows.Text(H(6)), AnalyticsRows.Text(a["last_resolved_at"]));
        Assert.Equal((H(2) - T0).TotalSeconds, Convert.ToDouble(a["lead_time_seconds"]), 3);   // created → first done
        Assert.Equal((H(6) - T0).TotalSeconds, Convert.ToDouble(a["cycle_time_seconds"]), 3);  // first in progress (at creation) → last done
        Assert.Equal(1L, Convert.ToInt64(a["reopen_count"]));
        var c = rows["103"];  // In Progress and Done in the same millisecond
        Assert.Equal(0.0, Convert.ToDouble(c["cycle_time_seconds"]), 3);
        Assert.Equal((tieTime() - T0).TotalSeconds, Convert.ToDouble(c["lead_time_seconds"]), 3);
        Assert.Null(rows["106"]["lead_time_seconds"]);
        Assert.Equal("Sprint 2", rows["106"]["current_sprint"]);
        Assert.Equal("Sprint 1", rows["105"]["current_sprint"]);
        Assert.Null(rows["107"]["current_sprint"]);
        Assert.Equal(5.0, Convert.ToDouble(rows["106"]["story_points"]));
        Assert.Equal("OPS-1", rows["104"]["issue_key"]);
        Assert.Equal("OPS", rows["104"]["project_key"]);
        static DateTimeOffset tieTime() => H(1).AddMilliseconds(123);
    }

    [Theory, MemberData(nameof(Sql))]
    public async Task Sprint_scope_and_summary_follow_the_sprint_field_history(string kind)
    {
        await using var db = new TestDatabase(kind);
        await LoadIncrementallyAsync(db);
        var scope = await AnalyticsRows.RowsAsync(db, "SELECT sprint_id, issue_id, added_at, removed_at, in_scope_at_start, completed_in_sprint FROM sprint_scope");
        Assert.Equal(new[]
        {
            string.Join(" | ", "1", "105", AnalyticsRows.Text(T0), "null", "true", "true"),          // committed, done inside the sprint
            string.Join(" | ", "1", "106", AnalyticsRows.Text(H(12)), "null", "true", "false"),      // committed, carried over
            string.Join(" | ", "1", "107", AnalyticsRows.Text(D(4)), AnalyticsRows.Text(D(6)), "false", "false"),  // added after the start, removed
            string.Join(" | ", "2", "106", AnalyticsRows.Text(D(15)), "null", "true", "false"),      // carried in at Sprint 2's start
        }.Order(), scope.Order());

        var summary = await AnalyticsRows.RowsAsync(db, "SELECT sprint_id, sprint, state, committed_issues, committed_points, added_issues, added_points, removed_issues, removed_points, " +
                                          "completed_issues, completed_points, carried_over_issues, carried_over_points FROM sprint_summary");
        Assert.Equal(new[]
        {
            "1 | Sprint 1 | closed | 2 | 8 | 1 | 2 | 1 | 2 | 1 | 3 | 1 | 5",
            "2 | Sprint 2 | active | 1 | 5 | 0 | null | 0 | null | 0 | null | 0 | null",
        }, summary.Order());
    }

    [Theory, MemberData(nameof(Sql))]
    public async Task Custom_fields_are_columns_named_after_their_current_names(string kind)
    {
        await using var db = new TestDatabase(kind);
        await LoadIncrementallyAsync(db);
        var rows = await db.QueryAsync("SELECT * FROM issue_custom_fields WHERE issue_id = '107'");
        var row = Assert.Single(rows);
        Assert.Equal(["issue_id", "issue_key", "story_points", "sprint", "impact"], row.Keys.ToArray());
        Assert.Equal(2.0, Convert.ToDouble(row["story_points"]));
        Assert.Equal("High", JsonNode.Parse((string)row["impact"]!)!["value"]!.GetValue<string>());
    }

    [Theory, MemberData(nameof(Sql))]
    public async Task An_incremental_load_gives_the_same_tables_and_views_as_one_full_load(string kind)
    {
        await using var incremental = new TestDatabase(kind);
        await using var full = new TestDatabase(kind);
        await LoadIncrementallyAsync(incremental);
        await LoadFullyAsync(full);
        foreach (var query in AnalyticsRows.Compared)
            Assert.Equal(await AnalyticsRows.RowsAsync(full, query), await AnalyticsRows.RowsAsync(incremental, query));
    }

    [Fact]
    public async Task DuckDB_and_PostgreSQL_give_identical_tables_and_views()
    {
        await using var duck = new TestDatabase("duckdb");
        await using var pg = new TestDatabase("postgres");
        await LoadIncrementallyAsync(duck);
        await LoadIncrementallyAsync(pg);
        foreach (var query in AnalyticsRows.Compared.Append("SELECT * FROM status_lookup ORDER BY status_id"))
        {
            var d = await AnalyticsRows.RowsAsync(duck, query);
            Assert.NotEmpty(d);
            Assert.Equal(d, await AnalyticsRows.RowsAsync(pg, query));
        }
    }

    [Theory, MemberData(nameof(Sql))]
    public async Task Statuses_sprints_and_fields_tables_when_loaded_give_the_names_and_categories(string kind)
    {
        await using var db = new TestDatabase(kind);
        await LoadIncrementallyAsync(db);
        // Reference streams as the tap's statuses, sprints and fields streams emit them (Jira's GET status, board sprints, GET field).
        await LoadAsync(db, false, [
            Messages.Schema("statuses", """{"id":{"type":["null","string"]},"name":{"type":["null","string"]},"statusCategory":{"type":["null","object"]}}""", "id"),
            .. Statuses.Select(kv => (SingerMessage)Messages.Record("statuses",
                new JsonObject { ["id"] = kv.Key, ["name"] = kv.Key == InReview ? "Peer Review" : kv.Value.Name, ["statusCategory"] = Status(kv.Key)["statusCategory"]!.DeepClone() }.ToJsonString())),
            Messages.Schema("sprints", """{"id":{"type":["null","integer"]},"name":{"type":["null","string"]},"state":{"type":["null","string"]},"startDate":{"type":["null","string"],"format":"date-time"},"endDate":{"type":["null","string"],"format":"date-time"},"completeDate":{"type":["null","string"],"format":"date-time"},"originBoardId":{"type":["null","integer"]}}""", "id"),
            Messages.Record("sprints", SprintJson(Sprint1 with { Name = "Sprint One" }).ToJsonString()),
            Messages.Record("sprints", SprintJson(Sprint2).ToJsonString()),
            Messages.Schema("fields", """{"id":{"type":["null","string"]},"name":{"type":["null","string"]}}""", "id"),
            Messages.Record("fields", """{"id":"customfield_10030","name":"Severity level"}"""),
            State(9)]);
        Assert.Equal("Peer Review", await db.ScalarAsync("SELECT DISTINCT to_status FROM issue_status_transitions WHERE to_status_id = '10001'"));
        Assert.Equal(AnalyticsRows.Text(D(1)), AnalyticsRows.Text(await db.ScalarAsync("SELECT start_at FROM sprint_summary WHERE sprint = 'Sprint One'")));
        var row = Assert.Single(await db.QueryAsync("SELECT * FROM issue_custom_fields WHERE issue_id = '107'"));
        Assert.Contains("severity_level", row.Keys);
        Assert.Equal("Severity level", await db.ScalarAsync($"SELECT DISTINCT field_name FROM issue_field_history WHERE field_id = '{SeverityField}'"));
    }

    [Fact]
    public async Task On_PostgreSQL_a_users_view_over_an_analytics_view_is_kept_and_the_refresh_warns()
    {
        await using var db = new TestDatabase("postgres");
        var first = Build(final: false);
        var messages = new List<SingerMessage> { IssuesSchema("Severity"), ChangelogsSchema() };
        foreach (var i in first) { messages.Add(IssueRecord(i)); messages.AddRange(i.Changes.Select(c => ChangelogRecord(i, c))); }
        messages.Add(State(1));
        await LoadAsync(db, false, messages);
        await db.QueryAsync("CREATE VIEW my_report AS SELECT issue_id, severity FROM issue_custom_fields");

        // The renamed field changes issue_custom_fields' columns: PostgreSQL must drop it, which my_report forbids.
        var log = new MemoryLog();
        await using (var destination = await db.OpenAsync(log))
            await new Loader(destination, log, new LoadOptions { Pipelined = false, SqlBatchHooks = [new AnalyticsHook()] }).LoadAsync(Messages.Stream(IssuesSchema("Impact"), IssueRecord(first[0]), State(2)));

        Assert.Contains(log.Lines, l => l.StartsWith("WARNING analytics views were not refreshed", StringComparison.Ordinal));
        Assert.Equal(1L, Convert.ToInt64(await db.ScalarAsync("SELECT count(*) FROM my_report WHERE issue_id = '107'")));
        foreach (var view in new[] { "issue_status_transitions", "issue_time_in_status", "issue_enhanced", "sprint_summary" })
            Assert.True(Convert.ToInt64(await db.ScalarAsync($"SELECT count(*) FROM {view}")) > 0, view);
    }
}
