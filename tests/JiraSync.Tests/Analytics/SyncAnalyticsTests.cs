using System.Globalization;
using JiraSync.Simulator;
using JiraSync.Simulator.Model;
using JiraSync.Tests.Loading;

namespace JiraSync.Tests.Analytics;

/// <summary>
/// `jirasync sync` from the simulator with histories made through its control surface, so every change is known:
/// an issue created in a status other than the workflow's first with a round trip, 250 transitions, two changes in
/// one millisecond, a moved issue, sprint changes listing several sprint ids and a custom field renamed between
/// runs. Expected values come from what the test did, not from the SQL under test.
/// </summary>
public class SyncAnalyticsTests
{
    public static TheoryData<string> Sql => new() { "duckdb", "postgres" };

    private sealed record Move(string IssueId, string From, string To, DateTimeOffset At);

    [Theory, MemberData(nameof(Sql))]
    public async Task Sync_builds_exact_histories_and_an_incremental_sync_equals_a_fresh_full_one(string kind)
    {
        await using var h = await SyncHarness.StartAsync(new SimulatorOptions { Projects = 2, IssuesPerProject = 2, HeavyIssues = 0, WorklogsAtOneInstant = 0 });
        var c = h.Sim.Control;
        var moves = new List<Move>();
        var created = new Dictionary<string, (DateTimeOffset At, string Status)>();
        string Add(string project, string status)
        {
            var id = c.AddIssueWithKnownHistory(project, status);
            created[id] = (c.Now, status);
            return id;
        }
        void Transition(string id, string to)
        {
            var from = moves.LastOrDefault(m => m.IssueId == id)?.To ?? created[id].Status;
            c.TransitionIssue(id, to);
            moves.Add(new Move(id, from, to, c.Now));
        }

        var a = Add("ENG", "In Review");                       // not the workflow's first status
        foreach (var to in new[] { "Done", "In Progress", "Done" }) { c.AdvanceClock(TimeSpan.FromMinutes(61)); Transition(a, to); }
        var b = Add("ENG", "To Do");                           // 250 histories
        string[] cycle = ["In Progress", "In Review", "Done", "To Do"];
        for (var k = 0; k < 250; k++) { c.AdvanceClock(TimeSpan.FromSeconds(97)); Transition(b, cycle[k % 4]); }
        c.AdvanceClock(TimeSpan.FromMinutes(3));
        var t = Add("ENG", "To Do");                           // two changes in one millisecond
        Transition(t, "In Progress");
        Transition(t, "Done");
        var points = c.Read(s => s.CustomFields.First(f => f.Type == CustomFieldType.Number).Id);
        c.SetNumberField(t, points, 5);
        var m = Add("OPS", "In Progress");                     // moved to ENG: same id, new key
        c.AdvanceClock(TimeSpan.FromMinutes(5));
        var movedKey = c.MoveIssue(m, "ENG");
        var sprints = c.Read(s => s.Sprints.Where(x => !x.Deleted).Select(x => x.Id).Take(2).ToArray());
        var s1 = Add("ENG", "To Do");
        c.AdvanceClock(TimeSpan.FromMinutes(5));
        c.SetIssueSprints(s1, sprints[0]);
        c.AdvanceClock(TimeSpan.FromMinutes(5));
        var twoSprints = c.Now;
        c.SetIssueSprints(s1, sprints[0], sprints[1]);          // one item listing both ids

        await using var incremental = new TestDatabase(kind);
        await h.SyncAsync(incremental);
        c.AdvanceClock(TimeSpan.FromMinutes(10));
        Transition(a, "To Do");
        c.RenameCustomField(points, "Estimate");                // t is not re-extracted: its history still follows
        c.AdvanceClock(TimeSpan.FromMinutes(10));
        await h.SyncAsync(incremental);

        await using var full = new TestDatabase(kind);
        await h.SyncAsync(full);

        // Every move of the known issues appears once, with its exact time and sequence.
        var known = string.Join(", ", created.Keys.Select(id => $"'{id}'"));
        var transitions = await full.QueryAsync($"SELECT issue_id, from_status, to_status, transitioned_at, sequence FROM issue_status_transitions WHERE issue_id IN ({known})");
        var expected = moves.GroupBy(x => x.IssueId).SelectMany(g => g.Select((x, k) => $"{x.IssueId} {x.From} → {x.To} at {AnalyticsRows.Text(x.At)} #{k + 1}"));
        Assert.Equal(expected.Order(), transitions.Select(r => $"{r["issue_id"]} {r["from_status"]} → {r["to_status"]} at {AnalyticsRows.Text(r["transitioned_at"])} #{r["sequence"]}").Order());
        Assert.Equal(250, transitions.Count(r => (string)r["issue_id"]! == b));

        // Initial values: the status each issue was created in, from its creation.
        foreach (var (id, (at, status)) in created)
        {
            var first = Assert.Single(await full.QueryAsync($"SELECT value_display, valid_from FROM issue_field_history WHERE issue_id = '{id}' AND field_id = 'status' AND changelog_id IS NULL"));
            Assert.Equal(status, first["value_display"]);
            Assert.Equal(AnalyticsRows.Text(at), AnalyticsRows.Text(first["valid_from"]));
        }
        // Per issue, time in status adds up to the time since creation.
        var before = DateTimeOffset.UtcNow;
        var totals = (await full.QueryAsync($"SELECT issue_id, sum(seconds) AS s FROM issue_time_in_status WHERE issue_id IN ({known}) GROUP BY issue_id"))
            .ToDictionary(r => (string)r["issue_id"]!, r => Convert.ToDouble(r["s"]));
        var after = DateTimeOffset.UtcNow;
        foreach (var (id, (at, _)) in created)
            Assert.InRange(totals[id], (before - at).TotalSeconds - 2, (after - at).TotalSeconds + 2);

        // The move: project and key histories under the same id; the sprint change lists both sprints.
        Assert.Equal(movedKey, await full.ScalarAsync($"SELECT issue_key FROM issue_enhanced WHERE issue_id = '{m}'"));
        Assert.Equal(2L, Convert.ToInt64(await full.ScalarAsync($"SELECT count(*) FROM issue_field_history WHERE issue_id = '{m}' AND field_id = 'project'")));
        var sprintRows = await full.QueryAsync($"SELECT value, valid_from, valid_until FROM issue_multiselect_history WHERE issue_id = '{s1}' AND field_name = 'Sprint' ORDER BY value");
        Assert.Equal(sprints.Select(x => x.ToString(CultureInfo.InvariantCulture)).Order(), sprintRows.Select(r => (string)r["value"]!).Order());
        Assert.Equal(AnalyticsRows.Text(twoSprints), AnalyticsRows.Text(sprintRows.Single(r => (string)r["value"]! == sprints[1].ToString(CultureInfo.InvariantCulture))["valid_from"]));
        Assert.All(sprintRows, r => Assert.Null(r["valid_until"]));

        // The renamed field: its history rows carry the new name, in both databases.
        foreach (var db in new[] { incremental, full })
            Assert.Equal("Estimate", await db.ScalarAsync($"SELECT DISTINCT field_name FROM issue_field_history WHERE issue_id = '{t}' AND field_id = '{points}'"));

        // The incremental destination holds exactly what a fresh full sync gives.
        foreach (var query in AnalyticsRows.Compared)
            Assert.Equal(await AnalyticsRows.RowsAsync(full, query), await AnalyticsRows.RowsAsync(incremental, query));
    }
}
