using System.Text.Json.Nodes;
using JiraSync.Simulator;
using JiraSync.Singer;
using JiraSync.Streams;

namespace JiraSync.Tests.Tap;

/// <summary>The tap against the simulator over real HTTPS: completeness, schemas, incremental runs,
/// resumption, faults, selection.</summary>
public class TapEndToEndTests
{
    private static void AssertKeysEqualExpected(IReadOnlyDictionary<string, IReadOnlySet<string>> expected, Dictionary<string, HashSet<string>> emitted,
        IEnumerable<string>? streams = null)
    {
        foreach (var stream in streams ?? expected.Keys)
        {
            var got = emitted.GetValueOrDefault(stream) ?? [];
            var want = expected[stream];
            var missing = want.Except(got).Take(5).ToList();
            var extra = got.Except(want).Take(5).ToList();
            Assert.True(missing.Count == 0 && extra.Count == 0,
                $"{stream}: {want.Count} expected, {got.Count} emitted; missing [{string.Join(",", missing)}] extra [{string.Join(",", extra)}]");
        }
    }

    [Fact]
    public async Task Every_stream_selected_emits_exactly_the_expected_keys_and_valid_records()
    {
        await using var h = await TapHarness.StartAsync();
        var run = await h.RunAsync(TapHarness.AllSelected());
        Assert.Null(run.Error);
        AssertKeysEqualExpected(h.Simulator.Control.ExpectedKeys(), run.Keys());
        // No key twice within one run.
        foreach (var (stream, keys) in run.Keys()) Assert.Equal(keys.Count, run.RecordsOf(stream).Count());

        // The heavy issue's 250 histories and 120 comments all arrived, beyond the 40/20 search embeds.
        Assert.Equal(250, run.RecordsOf("changelogs").GroupBy(r => (string?)r.Record["issueId"]).Max(g => g.Count()));
        Assert.Equal(120, run.RecordsOf("issue_comments").GroupBy(r => (string?)r.Record["issueId"]).Max(g => g.Count()));

        // SCHEMA before each stream's first RECORD; every RECORD valid against it, with time_extracted.
        var schemas = new Dictionary<string, SchemaMessage>();
        var errors = new List<string>();
        foreach (var m in run.Messages)
        {
            if (m is SchemaMessage s) schemas[s.Stream] = s;
            if (m is not RecordMessage r) continue;
            Assert.True(schemas.ContainsKey(r.Stream), $"RECORD of {r.Stream} before its SCHEMA");
            Assert.NotEqual(default, r.TimeExtracted);
            errors.AddRange(SchemaValidator.Validate(r.Record, schemas[r.Stream].Schema, r.Stream).Take(3));
        }
        Assert.True(errors.Count == 0, string.Join("\n", errors.Distinct().Take(20)));

        // Children carry their parent's id.
        Assert.All(run.RecordsOf("issue_comments"), r => Assert.NotNull(r.Record["issueId"]));
        Assert.All(run.RecordsOf("versions"), r => Assert.NotNull(r.Record["projectId"]));
        // Versions' display dates became ISO dates (date-time per tap-jira's schema).
        Assert.Contains(run.RecordsOf("versions"), r => r.Record["userReleaseDate"] is not null);

        // Full-table streams: records carry the version that the closing ACTIVATE_VERSION activates.
        var activations = run.Messages.OfType<ActivateVersionMessage>().GroupBy(a => a.Stream).ToDictionary(g => g.Key, g => g.Last().Version);
        foreach (var stream in new[] { "projects", "versions", "components", "users", "roles" })
            Assert.All(run.RecordsOf(stream), r => Assert.Equal(activations[stream], r.Version));
        Assert.DoesNotContain("issues", activations.Keys);

        var state = TapState.FromJson(run.LastState);
        Assert.Null(state.CurrentlySyncing);
        Assert.NotNull(state.Get("issues", Bookmarks.Updated));
        Assert.NotNull(state.Get("worklogs", Bookmarks.Updated));
        Assert.Null(state.GetBookmark("projects", Bookmarks.Version));

        // Record and request counts as METRIC lines.
        Assert.Contains(run.Log.Lines, l => l.StartsWith("INFO METRIC: ") && l.Contains("\"record_count\"") && l.Contains("\"issues\""));
        Assert.Contains(run.Log.Lines, l => l.StartsWith("INFO METRIC: ") && l.Contains("\"http_request_count\""));
    }

    [Fact]
    public async Task Incremental_run_emits_changes_and_deletions_only()
    {
        await using var h = await TapHarness.StartAsync();
        var control = h.Simulator.Control;
        var first = await h.RunAsync(TapHarness.AllSelected());
        Assert.Null(first.Error);

        control.AdvanceClock(TimeSpan.FromMinutes(30));
        var issues = first.RecordsOf("issues").Select(r => (string)r.Record["id"]!).Order().ToList();
        var worklogs = first.RecordsOf("worklogs").Select(r => (string)r.Record["id"]!).Order().ToList();
        control.UpdateIssue(issues[0]);
        var added = control.AddIssue((string)first.RecordsOf("projects").First().Record["key"]!);
        control.DeleteIssue(issues[1]);
        var comment = control.AddComment(issues[2]);
        var worklog = control.AddWorklog(issues[3]);
        control.DeleteWorklog(worklogs[0]);
        control.UpdateWorklog(worklogs[1]);
        control.AdvanceClock(TimeSpan.FromMinutes(5)); // worklog/updated hides the last minute

        // The simulator reads JQL dates in the user's zone (America/New_York, behind UTC): a literal written
        // in UTC would start hours after the bookmark and miss the changes below.
        var second = await h.RunAsync(TapHarness.AllSelected(), first.LastState);
        Assert.Null(second.Error);
        var live = second.Keys();
        Assert.Contains(issues[0], live["issues"]);
        Assert.Contains(added, live["issues"]);
        Assert.Contains(comment, live["issue_comments"]);
        Assert.Contains(worklog, live["worklogs"]);
        Assert.Contains(worklogs[1], live["worklogs"]);
        var deleted = second.Keys(deleted: true);
        Assert.Equal([issues[1]], deleted["issues"]);
        Assert.Contains(worklogs[0], deleted["worklogs"]);
        // The deleted issue's worklogs are reported deleted by worklog/deleted too.
        Assert.Equal(control.ExpectedDeletedKeys()["worklogs"].Order(), deleted["worklogs"].Order());
        Assert.All(second.Records.Where(r => r.Record["_sdc_deleted_at"] is not null),
            r => Assert.True(SingerTime.TryParse((string)r.Record["_sdc_deleted_at"]!, out _)));
        // Incremental: far fewer issues than the first run (the look-back window may repeat a few).
        Assert.True(live["issues"].Count < issues.Count / 2, $"{live["issues"].Count} issues re-emitted");
        Assert.DoesNotContain(issues[1], live["issues"]);
        // And the union of both runs is the simulator's current truth.
        var union = first.Keys();
        foreach (var (s, keys) in live) union[s] = [.. union.GetValueOrDefault(s) ?? [], .. keys];
        union["issues"].Remove(issues[1]);
        union["worklogs"].ExceptWith(deleted["worklogs"]);
        // (Children of the deleted issue stay in the union: the tap reports the issue itself deleted.)
        AssertKeysEqualExpected(control.ExpectedKeys(), union, ["issues", "worklogs", "projects", "users"]);
    }

    [Theory]
    [InlineData(20)]   // inside the full-table streams
    [InlineData(150)]  // inside the issue family
    [InlineData(700)]  // inside worklogs, near the end
    public async Task A_run_killed_after_K_records_and_resumed_from_its_last_state_is_complete(int k)
    {
        await using var h = await TapHarness.StartAsync();
        var killed = await h.RunAsync(TapHarness.AllSelected(), stopAfterRecords: k);
        Assert.Equal(k, killed.Records.Count());
        var resumed = await h.RunAsync(TapHarness.AllSelected(), killed.LastState);
        Assert.Null(resumed.Error);
        var union = killed.Keys();
        // Records emitted after the last STATE of the killed run were never acknowledged: drop them.
        var acknowledged = killed.Messages.Take(killed.Messages.FindLastIndex(m => m is StateMessage) + 1).OfType<RecordMessage>().ToList();
        union = new TapRun { }.KeysFrom(killed, acknowledged);
        foreach (var (s, keys) in resumed.Keys()) union[s] = [.. union.GetValueOrDefault(s) ?? [], .. keys];
        AssertKeysEqualExpected(h.Simulator.Control.ExpectedKeys(), union);
    }

    [Fact]
    public async Task Rate_limits_and_unavailability_are_ridden_out_with_the_same_keys()
    {
        await using var h = await TapHarness.StartAsync();
        h.Simulator.Control.Faults.Next429(2, retryAfterSeconds: 1, pathPrefix: "/rest/api/2/search/jql");
        h.Simulator.Control.Faults.Next503(3, pathPrefix: "/rest/api/2/issue/");
        h.Simulator.Control.Faults.Next503(2, pathPrefix: "/rest/api/2/worklog/");
        h.Simulator.Control.Faults.Next429(1, retryAfterSeconds: 1, pathPrefix: "/rest/api/2/project/");
        var run = await h.RunAsync(TapHarness.AllSelected());
        Assert.Null(run.Error);
        Assert.Equal(0, h.Simulator.Control.Faults.Pending);
        AssertKeysEqualExpected(h.Simulator.Control.ExpectedKeys(), run.Keys());
    }

    [Fact]
    public async Task Unselected_fields_never_appear_and_children_come_without_their_parent()
    {
        await using var h = await TapHarness.StartAsync();
        var catalog = Discovery.BuildCatalog(false);
        foreach (var name in new[] { "issue_comments", "versions" }) catalog.Find(name)!.Metadata.Set([], "selected", true);
        catalog.Find("issue_comments")!.Metadata.Set(["properties", "body"], "selected", false);
        catalog.Find("issue_comments")!.Metadata.Set(["properties", "author"], "selected", false);
        catalog.Find("versions")!.Metadata.Set(["properties", "description"], "selected", false);
        var run = await h.RunAsync(catalog);
        Assert.Null(run.Error);
        Assert.Equal(["issue_comments", "versions"], run.Messages.OfType<SchemaMessage>().Select(s => s.Stream).Order());
        Assert.Equal(["issue_comments", "versions"], run.Records.Select(r => r.Stream).Distinct().Order());
        Assert.All(run.RecordsOf("issue_comments"), r =>
        {
            Assert.Null(r.Record["body"]);
            Assert.False(r.Record.ContainsKey("author"));
            Assert.NotNull(r.Record["id"]);
            Assert.NotNull(r.Record["updated"]);
        });
        Assert.All(run.RecordsOf("versions"), r => Assert.False(r.Record.ContainsKey("description")));
        var schema = run.Messages.OfType<SchemaMessage>().Single(s => s.Stream == "issue_comments").Schema;
        Assert.False(((JsonObject)schema["properties"]!).ContainsKey("body"));
        var expected = h.Simulator.Control.ExpectedKeys();
        AssertKeysEqualExpected(expected, run.Keys(), ["issue_comments", "versions"]);
    }

    [Fact]
    public async Task Server_data_center_uses_legacy_search_and_user_keys()
    {
        await using var h = await TapHarness.StartAsync(new SimulatorOptions
        {
            Deployment = Deployment.Server, Projects = 2, IssuesPerProject = 10, Users = 6, HeavyIssues = 1, WorklogsAtOneInstant = 0,
        });
        // A small page size: the legacy search pages after the first are read concurrently by startAt.
        var run = await h.RunAsync(Discovery.SelectAll(Discovery.BuildCatalog(isServer: true)), config: h.Config with { PageSize = 7 });
        Assert.Null(run.Error);
        Assert.Equal(["key"], run.Messages.OfType<SchemaMessage>().Single(s => s.Stream == "users").KeyProperties);
        foreach (var (stream, keys) in run.Keys()) Assert.Equal(keys.Count, run.RecordsOf(stream).Count());
        AssertKeysEqualExpected(h.Simulator.Control.ExpectedKeys(), run.Keys());
    }

    [Fact]
    public async Task More_than_a_page_of_worklogs_at_one_millisecond_neither_stalls_nor_loses_any()
    {
        await using var h = await TapHarness.StartAsync(new SimulatorOptions
        {
            Projects = 3, IssuesPerProject = 700, Users = 5, HeavyIssues = 0, WorklogsAtOneInstant = 1100,
        });
        var catalog = Discovery.BuildCatalog(false);
        catalog.Find("worklogs")!.Metadata.Set([], "selected", true);
        var run = await h.RunAsync(catalog);
        Assert.Null(run.Error);
        var instants = run.RecordsOf("worklogs").GroupBy(r => (string?)r.Record["updated"]).Max(g => g.Count());
        Assert.True(instants > 1000, $"the simulator should have put more than 1000 worklogs on one instant, saw {instants}");
        AssertKeysEqualExpected(h.Simulator.Control.ExpectedKeys(), run.Keys(), ["worklogs"]);
        Assert.Equal(run.RecordsOf("worklogs").Count(), run.Keys()["worklogs"].Count); // no duplicates within the run
    }

    [Fact]
    public async Task Configured_projects_limit_issues_their_children_and_the_site_wide_worklog_feed()
    {
        await using var h = await TapHarness.StartAsync();
        var all = await h.RunAsync(TapHarness.AllSelected());
        Assert.Null(all.Error);
        var projectOf = all.RecordsOf("issues").ToDictionary(r => (string)r.Record["id"]!, r => (string)r.Record["fields"]!["project"]!["key"]!);
        var key = projectOf.Values.First();

        var limited = await h.RunAsync(TapHarness.AllSelected(), config: h.Config with { Projects = [key] });
        Assert.Null(limited.Error);
        var keys = limited.Keys();
        Assert.Equal(projectOf.Where(p => p.Value == key).Select(p => p.Key).Order(), keys["issues"].Order());
        var expectedWorklogs = all.RecordsOf("worklogs").Where(r => projectOf[(string)r.Record["issueId"]!] == key).Select(r => (string)r.Record["id"]!);
        Assert.Equal(expectedWorklogs.Order(), keys["worklogs"].Order());
        Assert.All(limited.RecordsOf("issue_comments"), r => Assert.Equal(key, projectOf[(string)r.Record["issueId"]!]));
        Assert.Single(keys["projects"]);
    }
}
