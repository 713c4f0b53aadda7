using JiraSync.Simulator;
using JiraSync.Simulator.Control;
using JiraSync.Singer;
using JiraSync.Streams;

namespace JiraSync.Tests.Tap;

/// <summary>
/// Issue 8's streams (site metadata, boards and sprints, issue relations) against the simulator over real HTTPS,
/// with every stream selected, on Cloud and on Server/DC: the keys each stream emits equal the simulator's expected
/// set (computed by the simulator from its model, not by the tap) in a full run, in an incremental run after the
/// data changed, and in a run killed and resumed.
/// </summary>
public class JiraStreamsEndToEndTests
{
    private static SimulatorOptions Small(Deployment deployment) => new()
    {
        Deployment = deployment, Projects = 2, IssuesPerProject = 10, Users = 6, HeavyIssues = 0, WorklogsAtOneInstant = 0,
    };

    /// <summary>Every stream, the ones costing a request per issue included.</summary>
    private static Catalog Everything(bool server) => Discovery.SelectAll(Discovery.BuildCatalog(server), optIn: true);

    private static void AssertKeys(IReadOnlyDictionary<string, IReadOnlySet<string>> expected, Dictionary<string, HashSet<string>> emitted)
    {
        var problems = new List<string>();
        foreach (var (stream, want) in expected)
        {
            var got = emitted.GetValueOrDefault(stream) ?? [];
            var missing = want.Except(got).Take(5).ToList();
            var extra = got.Except(want).Take(5).ToList();
            if (missing.Count + extra.Count > 0)
                problems.Add($"{stream}: {want.Count} expected, {got.Count} emitted; missing [{string.Join(",", missing)}] extra [{string.Join(",", extra)}]");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Theory]
    [InlineData(Deployment.Cloud)]
    [InlineData(Deployment.Server)]
    public async Task Every_stream_emits_exactly_the_expected_keys_and_skips_kanban_and_forbidden_boards_with_one_line_each(Deployment deployment)
    {
        await using var h = await TapHarness.StartAsync(Small(deployment));
        var server = deployment != Deployment.Cloud;
        var run = await h.RunAsync(Everything(server));
        Assert.Null(run.Error);
        var expected = h.Simulator.Control.ExpectedKeys(ExpectedStreams.All);
        Assert.Equal(StreamRegistry.All.Select(d => d.Name).Order(), expected.Keys.Order());
        AssertKeys(expected, run.Keys());
        foreach (var (stream, keys) in run.Keys()) Assert.True(keys.Count == run.RecordsOf(stream).Count(), $"{stream}: a key emitted twice");

        // Every record valid against its stream's SCHEMA.
        var schemas = run.Messages.OfType<SchemaMessage>().ToDictionary(s => s.Stream);
        var errors = run.Records.SelectMany(r => SchemaValidator.Validate(r.Record, schemas[r.Stream].Schema, r.Stream).Take(2)).Distinct().Take(20).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));

        // The kanban board is skipped quietly; the private board (403 on its sprints) with one warning line naming it.
        var (kanban, hidden) = h.Simulator.Control.Read(s =>
            (s.Boards.Single(b => b.Type == "kanban").Id, s.Boards.Single(b => b.Private).Id));
        var warnings = run.Log.Lines.Where(l => l.StartsWith("WARNING")).ToList();
        Assert.DoesNotContain(warnings, l => l.Contains($"board {kanban} "));
        Assert.Single(warnings, l => l.StartsWith($"WARNING sprints: board {hidden} answered 403"));
        // Sprints withheld their closing ACTIVATE_VERSION (a board could not be read), boards did not.
        var lastRecord = run.Messages.FindLastIndex(m => m is RecordMessage { Stream: "sprints" });
        Assert.DoesNotContain(run.Messages.Skip(lastRecord), m => m is ActivateVersionMessage { Stream: "sprints" });
        Assert.Contains(run.Messages, m => m is ActivateVersionMessage { Stream: "boards" });

        // Relations carry their issue's id; a sprint listed by several boards came once.
        Assert.All(run.RecordsOf("issue_links").Concat(run.RecordsOf("attachments")).Concat(run.RecordsOf("issue_watchers")),
            r => Assert.NotNull(r.Record["issueId"]));
        Assert.All(run.RecordsOf("sprints"), r => Assert.NotNull(r.Record["boardId"]));
    }

    [Fact]
    public async Task A_user_without_admin_rights_gets_every_other_stream_and_one_warning_per_thing_it_may_not_read()
    {
        await using var h = await TapHarness.StartAsync(Small(Deployment.Cloud) with { AdminPermissions = false });
        var run = await h.RunAsync(Everything(false));
        Assert.Null(run.Error);
        var expected = h.Simulator.Control.ExpectedKeys(ExpectedStreams.All);
        var gated = new[] { "roles", "groups", "group_members", "custom_field_options" };
        AssertKeys(expected.Where(e => !gated.Contains(e.Key)).ToDictionary(), run.Keys());
        Assert.All(gated, s => Assert.DoesNotContain(s, run.Keys().Keys));
        var warnings = run.Log.Lines.Where(l => l.StartsWith("WARNING")).ToList();
        Assert.Single(warnings, l => l.StartsWith("WARNING roles: ") && l.Contains("answered 403"));
        Assert.Single(warnings, l => l.StartsWith("WARNING groups: ") && l.Contains("answered 403"));
        // One line per field with options, naming the field; none for the group members (their groups' line said it).
        var optionFields = h.Simulator.Control.Read(s => s.CustomFields.Where(f => f.HasOptions).Select(f => f.Id).ToList());
        Assert.Equal(optionFields.Order(), warnings.Where(l => l.StartsWith("WARNING custom_field_options: field "))
            .Select(l => l.Split(' ')[3]).Order());
        Assert.DoesNotContain(warnings, l => l.StartsWith("WARNING group_members"));
    }

    [Theory]
    [InlineData(Deployment.Cloud)]
    [InlineData(Deployment.Server)]
    public async Task An_incremental_run_follows_added_and_removed_links_sprint_moves_new_boards_and_a_deleted_sprint(Deployment deployment)
    {
        await using var h = await TapHarness.StartAsync(Small(deployment));
        var server = deployment != Deployment.Cloud;
        var control = h.Simulator.Control;
        var first = await h.RunAsync(Everything(server));
        Assert.Null(first.Error);

        control.AdvanceClock(TimeSpan.FromMinutes(30));
        var (a, b, c, moved, target, oldLink) = control.Read(s =>
        {
            var issues = s.Issues.Where(s.IsVisible).ToList();
            var inSprint = issues.First(i => i.SprintIds.Any(id => s.FindSprint(id) is { Deleted: false, State: not "closed" }));
            var other = s.Sprints.First(sp => !sp.Deleted && sp.State != "closed" && !inSprint.SprintIds.Contains(sp.Id));
            return (issues[0].Key, issues[1].Key, issues[2].Key, inSprint.Key, other.Id, s.Links.Keys.First());
        });
        var added = control.AddLink(a, b);
        control.RemoveLink(oldLink.ToString());
        control.MoveIssueToSprint(moved, target);
        var board = control.AddBoard(control.Read(s => s.Projects[0].Key));
        // A sprint with members deleted between the runs: its GET answers 404, but no request names a sprint
        // (memberships come from each issue's Sprint field), so nothing fails and nothing warns.
        var movedSprints = control.Read(s => s.FindIssue(moved)!.SprintIds.ToList());
        var doomed = first.Keys()["sprints"].Select(long.Parse).First(id => id != target && !movedSprints.Contains(id)
            && first.Keys()["sprint_issues"].Any(k => k.StartsWith(id + "|")));
        control.DeleteSprint(doomed);
        control.AdvanceClock(TimeSpan.FromMinutes(30));

        var second = await h.RunAsync(Everything(server), first.LastState);
        Assert.Null(second.Error);
        // No new warning: the only ones are the first run's (the forbidden board).
        Assert.Empty(second.Log.Lines.Where(l => l.StartsWith("WARNING")).Except(first.Log.Lines));
        Assert.DoesNotContain(h.Simulator.Control.Requests.Entries, e => e.PathAndQuery.Contains($"/sprint/{doomed}"));
        Assert.DoesNotContain(doomed.ToString(), second.Keys()["sprints"]);
        Assert.DoesNotContain(second.Keys()["sprint_issues"], k => k.StartsWith(doomed + "|"));
        var expected = control.ExpectedKeys(ExpectedStreams.All);
        Assert.Contains(added, expected["issue_links"]);
        Assert.DoesNotContain(oldLink.ToString(), expected["issue_links"]);
        // Full tables come whole again; the issue's children come with the issues changed since the first run.
        var keys = second.Keys();
        foreach (var stream in new[] { "boards", "sprints", "statuses", "fields", "groups", "group_members" })
            Assert.Equal(expected[stream].Order(), (keys.GetValueOrDefault(stream) ?? []).Order());
        Assert.Contains(board, keys["boards"]);
        Assert.Contains(added, keys["issue_links"]);
        Assert.DoesNotContain(oldLink.ToString(), keys["issue_links"]);
        var movedId = control.Read(s => s.FindIssue(moved)!.Id.ToString());
        Assert.Contains($"{target}|{movedId}", keys["sprint_issues"]);
        // The union over both runs, less the rows a re-sent issue no longer has (what the loader marks deleted), is the expected set.
        var resent = second.RecordsOf("issues").Select(r => (string)r.Record["id"]!).ToHashSet();
        var union = first.Keys();
        foreach (var def in StreamRegistry.All.Where(d => d.ResentWithParent))
            union[def.Name] = first.RecordsOf(def.Name).Where(r => !resent.Contains((string)r.Record["issueId"]!))
                .Select(r => string.Join("|", def.KeysFor(server).Select(k => r.Record[k]?.ToString()))).ToHashSet();
        foreach (var (s, k) in keys) union[s] = s switch
        {
            _ when StreamRegistry.Get(s).Method == ReplicationMethod.FullTable => k,
            _ => [.. union.GetValueOrDefault(s) ?? [], .. k],
        };
        var relations = new[] { "sprint_issues", "issue_links", "attachments", "issue_watchers", "issue_remote_links" };
        AssertKeys(relations.ToDictionary(s => s, s => expected[s]), union);
    }

    [Theory]
    [InlineData(Deployment.Cloud, 40)]
    [InlineData(Deployment.Cloud, 250)]
    [InlineData(Deployment.Server, 150)]
    public async Task A_run_killed_and_resumed_from_its_last_state_emits_every_expected_key(Deployment deployment, int k)
    {
        await using var h = await TapHarness.StartAsync(Small(deployment));
        var server = deployment != Deployment.Cloud;
        var killed = await h.RunAsync(Everything(server), stopAfterRecords: k);
        Assert.Equal(k, killed.Records.Count());
        var resumed = await h.RunAsync(Everything(server), killed.LastState);
        Assert.Null(resumed.Error);
        // Records after the killed run's last STATE were never acknowledged.
        var acknowledged = killed.Messages.Take(killed.Messages.FindLastIndex(m => m is StateMessage) + 1).OfType<RecordMessage>().ToList();
        var union = new TapRun().KeysFrom(killed, acknowledged);
        foreach (var (s, keys) in resumed.Keys()) union[s] = [.. union.GetValueOrDefault(s) ?? [], .. keys];
        AssertKeys(h.Simulator.Control.ExpectedKeys(ExpectedStreams.All), union);
    }
}
