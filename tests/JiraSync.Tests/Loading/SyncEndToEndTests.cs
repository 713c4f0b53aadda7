using JiraSync.Simulator;
using JiraSync.Simulator.Control;
using JiraSync.Streams;
using JiraSync.Tests.Support;

namespace JiraSync.Tests.Loading;

/// <summary>`jirasync sync` from the simulator into real DuckDB files and a real PostgreSQL schema.</summary>
public class SyncEndToEndTests
{
    public static TheoryData<string> Sql => new() { "duckdb", "postgres" };

    private static IReadOnlyList<string> KeysOf(string stream, bool server = false) => StreamRegistry.Get(stream).KeysFor(server);

    /// <summary>"--streams" naming every stream, those costing a request per issue included.</summary>
    private static readonly string[] AllStreams = ["--streams", string.Join(",", StreamRegistry.All.Select(d => d.Name))];

    /// <summary>Streams a sync without a selection reads (all but the per-issue ones).</summary>
    private static IEnumerable<string> DefaultStreams => StreamRegistry.All.Where(d => d.SelectedByDefault).Select(d => d.Name);

    private static async Task AssertKeysEqualExpectedAsync(SyncHarness h, TestDatabase db, bool all = false, bool server = false)
    {
        foreach (var (stream, expected) in h.Sim.Control.ExpectedKeys(all ? ExpectedStreams.All : ExpectedStreams.TapJira))
        {
            var actual = await Tables.KeysAsync(db, stream, KeysOf(stream, server));
            Assert.True(expected.SetEquals(actual),
                $"{stream}: missing [{string.Join(",", expected.Except(actual).Take(5))}] extra [{string.Join(",", actual.Except(expected).Take(5))}]");
        }
    }

    [Theory, MemberData(nameof(Sql))]
    public async Task A_full_sync_loads_exactly_the_expected_keys_of_every_stream(string kind)
    {
        await using var h = await SyncHarness.StartAsync();
        await using var db = new TestDatabase(kind);
        var result = await h.SyncAsync(db, AllStreams);
        await AssertKeysEqualExpectedAsync(h, db, all: true);
        Assert.NotNull((await h.StoredStateAsync(db))?["bookmarks"]?["issues"]);
        // Per-request metric lines belong to the tap's stdout protocol world, not to a user's sync console.
        Assert.DoesNotContain("http_request_duration", result.StdErr);
    }

    [Theory, MemberData(nameof(Sql))]
    public async Task A_full_sync_of_server_dc_loads_exactly_the_expected_keys_of_every_stream(string kind)
    {
        await using var h = await SyncHarness.StartAsync(new SimulatorOptions { Deployment = Deployment.Server, Projects = 2, IssuesPerProject = 15 });
        await using var db = new TestDatabase(kind);
        await h.SyncAsync(db, AllStreams);
        await AssertKeysEqualExpectedAsync(h, db, all: true, server: true);
    }

    [Theory, MemberData(nameof(Sql))]
    public async Task An_incremental_sync_applies_changes_once_and_marks_deletions(string kind)
    {
        await using var h = await SyncHarness.StartAsync();
        await using var db = new TestDatabase(kind);
        await h.SyncAsync(db, AllStreams);
        var c = h.Sim.Control;
        var before = await Tables.CountAsync(db, "issues");

        c.AdvanceClock(TimeSpan.FromHours(1));
        var issues = c.ExpectedKeys()["issues"].Order().ToList();
        var worklogs = c.ExpectedKeys()["worklogs"].Order().ToList();
        c.UpdateIssue(issues[0]);
        var added = c.AddIssue(c.Read(s => s.VisibleProjects.First().Key));
        c.AddComment(issues[1]);
        var comment = c.ExpectedKeys()["issue_comments"].Order().First();
        c.DeleteComment(comment);
        c.DeleteIssue(issues[2]);
        c.DeleteWorklog(worklogs[0]);
        // Issue 8's relations: a link added and one removed, an issue moved to another sprint, a new board.
        var oldLink = c.ExpectedKeys(ExpectedStreams.All)["issue_links"].Order().First();
        c.RemoveLink(oldLink);
        var newLink = c.AddLink(issues[3], issues[4]);
        var (moved, sprint) = c.Read(s =>
        {
            // An issue in an active or future sprint: moving it elsewhere takes it out of that one.
            var issue = s.Issues.First(i => s.IsVisible(i) && i.SprintIds.Any(id => s.FindSprint(id) is { Deleted: false, State: not "closed" }));
            return (issue.Id.ToString(), s.Sprints.First(sp => !sp.Deleted && sp.State != "closed" && !issue.SprintIds.Contains(sp.Id)).Id);
        });
        var leftSprints = c.ExpectedKeys(ExpectedStreams.All)["sprint_issues"].Where(k => k.EndsWith("|" + moved)).ToList();
        c.MoveIssueToSprint(moved, sprint);
        var board = c.AddBoard(c.Read(s => s.VisibleProjects.First().Key));
        c.AdvanceClock(TimeSpan.FromMinutes(5));
        await h.SyncAsync(db, AllStreams);

        await AssertKeysEqualExpectedAsync(h, db, all: true);
        Assert.Contains(newLink, await Tables.KeysAsync(db, "issue_links", ["id"]));
        Assert.Contains(oldLink, await Tables.KeysAsync(db, "issue_links", ["id"], deleted: true));
        Assert.Contains($"{sprint}|{moved}", await Tables.KeysAsync(db, "sprint_issues", KeysOf("sprint_issues")));
        var gone = leftSprints.Except(c.ExpectedKeys(ExpectedStreams.All)["sprint_issues"]).ToList();
        Assert.NotEmpty(gone); // the active or future sprint the issue left
        Assert.Superset(gone.ToHashSet(), await Tables.KeysAsync(db, "sprint_issues", KeysOf("sprint_issues"), deleted: true));
        Assert.Contains(board, await Tables.KeysAsync(db, "boards", ["id"]));
        // One row per key: nothing doubled by the look-back overlap or the re-read pages.
        Assert.Equal(before + 1, await Tables.CountAsync(db, "issues"));
        // Every key the simulator deleted is kept and marked (the deleted comment through its re-sent issue).
        foreach (var (stream, deleted) in c.ExpectedDeletedKeys())
            Assert.Superset(deleted.ToHashSet(), await Tables.KeysAsync(db, stream, KeysOf(stream), deleted: true));
        Assert.Contains(issues[2], await Tables.KeysAsync(db, "issues", ["id"], deleted: true));
        Assert.Contains(worklogs[0], await Tables.KeysAsync(db, "worklogs", ["id"], deleted: true));
        var deletedRow = (await db.QueryAsync($"SELECT \"key\" FROM \"issues\" WHERE \"id\" = '{issues[2]}'")).Single();
        Assert.NotNull(deletedRow["key"]); // a deleted issue keeps its last known values
        Assert.Contains(added, await Tables.KeysAsync(db, "issues", ["id"]));
    }

    public static TheoryData<string, string> KillPoints => new()
    {
        { "duckdb", "staging:2" },          // inside the appender write of a batch
        { "duckdb", "batch-committed:2" },  // between batches, extraction still running
        { "postgres", "staging:2" },        // mid binary COPY
        { "postgres", "before-commit:3" },  // rows and state written, COMMIT not yet sent
    };

    [Theory, MemberData(nameof(KillPoints))]
    public async Task A_sync_killed_with_SIGKILL_and_run_again_ends_identical_to_an_uninterrupted_one(string kind, string point)
    {
        await using var h = await SyncHarness.StartAsync();
        await using var reference = new TestDatabase(kind);
        await using var db = new TestDatabase(kind);
        await h.SyncAsync(reference, AllStreams);

        await h.SyncAndKillAtAsync(db, point, ["--batch-rows", "100", .. AllStreams]);
        await h.SyncAsync(db, ["--batch-rows", "100", .. AllStreams]);

        foreach (var stream in h.Sim.Control.ExpectedKeys(ExpectedStreams.All).Keys)
            Assert.Equal(await Tables.DumpAsync(reference, stream), await Tables.DumpAsync(db, stream));
    }

    [Fact]
    public async Task Jsonl_killed_mid_write_and_run_again_has_every_key_and_no_torn_line()
    {
        await using var h = await SyncHarness.StartAsync();
        await using var db = new TestDatabase("jsonl");
        await h.SyncAndKillAtAsync(db, "staging:3", "--batch-rows", "100");
        await h.SyncAsync(db, "--batch-rows", "100");
        var dir = db.Uri["jsonl:".Length..];
        foreach (var (stream, expected) in h.Sim.Control.ExpectedKeys())
        {
            var keys = File.ReadLines(Path.Combine(dir, stream + ".jsonl"))
                .Select(l => System.Text.Json.Nodes.JsonNode.Parse(l)!) // throws on a torn line
                .Select(n => string.Join("|", KeysOf(stream).Select(k => n[k]!.ToString())))
                .ToHashSet();
            Assert.Superset(expected.ToHashSet(), keys);
        }
    }

    [Theory, MemberData(nameof(Sql))]
    public async Task A_new_custom_field_between_runs_adds_its_typed_column_and_loses_no_data(string kind)
    {
        await using var h = await SyncHarness.StartAsync();
        await using var db = new TestDatabase(kind);
        await h.SyncAsync(db);
        var before = await Tables.CountAsync(db, "issues");
        var columnsBefore = await db.ColumnTypesAsync("issues");
        Assert.Contains("fields__status", columnsBefore.Keys); // system and custom fields already have their columns

        var field = h.Sim.Control.AddCustomField("Story Points 2", "number");
        var column = "fields__" + field;
        Assert.DoesNotContain(column, columnsBefore.Keys);
        h.Sim.Control.AdvanceClock(TimeSpan.FromMinutes(30));
        // Several issues: the simulator leaves about a third of custom values null.
        var updated = h.Sim.Control.ExpectedKeys()["issues"].Order().Take(6).ToList();
        foreach (var issue in updated) h.Sim.Control.UpdateIssue(issue);
        h.Sim.Control.AdvanceClock(TimeSpan.FromMinutes(5));
        await h.SyncAsync(db);

        // No row lost, every earlier column kept, and the new field has a typed, commented column.
        Assert.Equal(before, await Tables.CountAsync(db, "issues"));
        await AssertKeysEqualExpectedAsync(h, db);
        var columns = await db.ColumnTypesAsync("issues");
        Assert.Superset(columnsBefore.Keys.ToHashSet(), columns.Keys.ToHashSet());
        Assert.Equal(kind == "postgres" ? "double precision" : "double", columns[column]);
        Assert.Equal("Story Points 2", await db.ColumnCommentAsync("issues", column));

        // Every row's column holds what its fields JSON holds for the field: the re-synced issues their value,
        // the issues not read again (their JSON predates the field) nothing.
        var rows = await db.QueryAsync($"SELECT \"id\", CAST(\"fields\" AS VARCHAR) AS f, \"{column}\" AS v FROM \"issues\"");
        var values = 0;
        foreach (var row in rows)
        {
            var json = System.Text.Json.Nodes.JsonNode.Parse((string)row["f"]!)!.AsObject();
            if (updated.Contains((string)row["id"]!)) Assert.True(json.ContainsKey(field), $"issue {row["id"]}: {field} is not in its fields JSON");
            var expected = json[field]?.GetValue<double>();
            Assert.Equal(expected, row["v"] is null ? null : Convert.ToDouble(row["v"]));
            if (expected is not null && updated.Contains((string)row["id"]!)) values++;
        }
        Assert.True(values > 0, "no re-synced issue has a value for the new field");
        Assert.True(rows.Count(r => r["v"] is null) > rows.Count / 2, "issues that were not read again should have no value");
    }

    [Theory, MemberData(nameof(Sql))]
    public async Task Target_fed_tap_output_loads_the_same_as_sync(string kind)
    {
        await using var h = await SyncHarness.StartAsync();
        await using var viaSync = new TestDatabase(kind);
        await using var viaTarget = new TestDatabase(kind);
        await h.SyncAsync(viaSync);

        var tap = await CliRunner.RunAsync("tap", "--config", h.ConfigPath);
        Assert.True(tap.ExitCode == 0, tap.StdErr);
        var result = await CliRunner.RunAsync(["target", "--destination", viaTarget.Uri], tap.StdOut);
        Assert.True(result.ExitCode == 0, result.StdErr);

        foreach (var stream in DefaultStreams)
            Assert.Equal(await Tables.DumpAsync(viaSync, stream), await Tables.DumpAsync(viaTarget, stream));
    }

    /// <summary>The loader learns parent → child rules only from the tap's SCHEMA hints (x-jirasync-children), so
    /// `target` fed by the tap must mark the same rows deleted as `sync`: a deleted issue's comments, changelogs,
    /// transitions and worklogs (cascade), and a comment deleted from an issue that is still there (not re-sent
    /// with its issue).</summary>
    [Fact]
    public async Task Target_fed_tap_output_applies_the_same_deletions_and_cascades_as_sync()
    {
        await using var h = await SyncHarness.StartAsync();
        await using var viaSync = new TestDatabase("duckdb");
        await using var viaTarget = new TestDatabase("duckdb");
        var state = Path.Combine(viaTarget.Dir, "state.json");
        async Task TapIntoTargetAsync()
        {
            var tap = await CliRunner.RunAsync(["tap", "--config", h.ConfigPath, .. File.Exists(state) ? new[] { "--state", state } : []]);
            Assert.True(tap.ExitCode == 0, tap.StdErr);
            var target = await CliRunner.RunAsync(["target", "--destination", viaTarget.Uri], tap.StdOut);
            Assert.True(target.ExitCode == 0, target.StdErr);
            File.WriteAllText(state, target.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]); // the last committed state
        }
        await h.SyncAsync(viaSync);
        await TapIntoTargetAsync();

        var c = h.Sim.Control;
        c.AdvanceClock(TimeSpan.FromHours(1));
        // An issue with comments and worklogs is deleted; another issue loses one comment.
        var comments = await viaTarget.QueryAsync("SELECT \"id\", \"issueId\" FROM \"issue_comments\"");
        var worklogs = await viaTarget.QueryAsync("SELECT \"id\", \"issueId\" FROM \"worklogs\"");
        var doomed = comments.Select(r => (string)r["issueId"]!).Intersect(worklogs.Select(r => (string)r["issueId"]!)).Order(StringComparer.Ordinal).First();
        var keptIssue = comments.Select(r => (string)r["issueId"]!).First(i => i != doomed);
        var droppedComment = comments.First(r => (string)r["issueId"]! == keptIssue)["id"]!.ToString()!;
        c.DeleteIssue(doomed);
        c.DeleteComment(droppedComment);
        c.AdvanceClock(TimeSpan.FromMinutes(5));
        await h.SyncAsync(viaSync);
        await TapIntoTargetAsync();

        // The rules did apply (computed from what was loaded before the deletions, not from the loader's SQL) ...
        var deletedComments = await Tables.KeysAsync(viaTarget, "issue_comments", ["id"], deleted: true);
        Assert.Superset(deletedComments, comments.Where(r => (string)r["issueId"]! == doomed).Select(r => r["id"]!.ToString()!).Append(droppedComment).ToHashSet());
        Assert.Superset(await Tables.KeysAsync(viaTarget, "worklogs", ["id"], deleted: true),
            worklogs.Where(r => (string)r["issueId"]! == doomed).Select(r => r["id"]!.ToString()!).ToHashSet());
        // ... and both paths end with the same tables, row for row, deletions included.
        foreach (var stream in c.ExpectedKeys().Keys)
            Assert.Equal(await Tables.DumpAsync(viaSync, stream), await Tables.DumpAsync(viaTarget, stream));
    }

    [Fact]
    public async Task Reset_forgets_a_bookmark_and_streams_limits_the_sync()
    {
        await using var h = await SyncHarness.StartAsync();
        await using var db = new TestDatabase("duckdb");
        await h.SyncAsync(db, "--streams", "projects,resolutions");
        Assert.Equal(h.Sim.Control.ExpectedKeys()["projects"].Count, await Tables.CountAsync(db, "projects"));
        Assert.Empty(await db.QueryAsync("SELECT table_name FROM information_schema.tables WHERE table_name = 'issues'"));

        var first = SearchedFrom(await h.SyncAsync(db, "--streams", "issues"));
        Assert.NotNull((await h.StoredStateAsync(db))?["bookmarks"]?["issues"]);
        var incremental = SearchedFrom(await h.SyncAsync(db, "--streams", "issues"));
        Assert.NotEqual(first, incremental); // from the stored bookmark
        var result = await h.SyncAsync(db, "--streams", "issues", "--reset", "issues");
        Assert.Contains("forgot the bookmarks of issues", result.StdErr);
        Assert.Equal(first, SearchedFrom(result)); // from start_date again
    }

    [Fact]
    public async Task Sync_with_streams_tells_the_jira_site_and_time_zone_once()
    {
        await using var h = await SyncHarness.StartAsync(new SimulatorOptions { Projects = 1, IssuesPerProject = 2 });
        await using var db = new TestDatabase("duckdb");
        // --streams first discovers the catalog, then runs on what it read: one line for the user.
        foreach (var args in new[] { new[] { "--streams", "resolutions" }, [] })
        {
            var result = await h.SyncAsync(db, args);
            Assert.Single(result.StdErr.Split('\n'), l => l.StartsWith("INFO Jira Cloud, user time zone ", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Sync_with_streams_asks_jira_for_the_site_and_the_field_list_once()
    {
        await using var h = await SyncHarness.StartAsync(new SimulatorOptions { Projects = 1, IssuesPerProject = 2 });
        await using var db = new TestDatabase("duckdb");
        h.Sim.Control.Requests.Clear();
        // The catalog's discovery reads myself, serverInfo and the field list; the run that follows reuses them.
        var result = await h.SyncAsync(db, "--streams", "issues");
        Assert.Equal(0, result.ExitCode);
        foreach (var path in new[] { "/rest/api/2/myself", "/rest/api/2/serverInfo", "/rest/api/2/field" })
            Assert.Single(h.Sim.Control.Requests.Entries, e => e.PathAndQuery == path);
        Assert.Equal(h.Sim.Control.ExpectedKeys()["issues"].Count, await Tables.CountAsync(db, "issues"));
    }

    /// <summary>The lower bound of the issue search the tap logged ("issues: searching updated >= "...").</summary>
    private static string SearchedFrom(CliResult r) =>
        System.Text.RegularExpressions.Regex.Match(r.StdErr, "updated >= \"([^\"]+)\"") is { Success: true } m ? m.Groups[1].Value
            : throw new Xunit.Sdk.XunitException("no issue search logged:\n" + r.StdErr);

    [Fact]
    public async Task Unknown_stream_names_are_bad_usage()
    {
        await using var h = await SyncHarness.StartAsync();
        var result = await CliRunner.RunAsync("sync", "--config", h.ConfigPath, "--destination", "jsonl:/tmp/never", "--streams", "issues,epics");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("unknown stream 'epics'", result.StdErr);
    }
}
