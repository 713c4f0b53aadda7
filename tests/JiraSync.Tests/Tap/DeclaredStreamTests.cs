using System.Threading.Channels;
using JiraSync.Config;
using JiraSync.Jira;
using JiraSync.Logging;
using JiraSync.Singer;
using JiraSync.Streams;

namespace JiraSync.Tests.Tap;

/// <summary>The generic fetcher on canned answers: per-parent paths, skip rules, shared records, record filters.</summary>
public class DeclaredStreamTests
{
    private const string SixBoards = """
            {"isLast":true,"values":[
              {"id":1,"name":"Team A","type":"scrum","location":{"projectKey":"A"}},
              {"id":2,"name":"Flow","type":"kanban","location":{"projectKey":"A"}},
              {"id":3,"location":{"projectKey":"A"}},
              {"id":4,"name":"Leads","type":"scrum","location":{"projectKey":"A"}},
              {"id":5,"name":"Gone","type":"simple","location":{"projectKey":"B"}},
              {"id":6,"name":"Team A too","type":"scrum","location":{"projectKey":"A"}}]}
            """;

    private static FakeJiraApi Jira(string boards = SixBoards) => new FakeJiraApi()
        .Json("rest/api/2/serverInfo", """{"deploymentType":"Cloud","serverTime":"2026-01-01T00:00:00.000+0000"}""")
        .Json("rest/api/2/myself", """{"timeZone":"Europe/Berlin"}""")
        .Json("rest/api/2/field", "[]")
        .Json("rest/agile/1.0/board?", boards)
        .Json("rest/agile/1.0/board/1/sprint", """{"isLast":true,"values":[{"id":10,"state":"closed"},{"id":11,"state":"active"}]}""")
        .Throw("rest/agile/1.0/board/2/sprint", () => new InvalidOperationException("a kanban board's sprints were asked for"))
        // A board listed without its type (private): its kanban nature shows only in the answer.
        .Throw("rest/agile/1.0/board/3/sprint", () => new JiraRequestException(
            "GET rest/agile/1.0/board/3/sprint answered 400 Bad Request: The board doesn't support sprints.", 400))
        .Throw("rest/agile/1.0/board/4/sprint", () => new JiraForbiddenException("GET rest/agile/1.0/board/4/sprint answered 403 Forbidden"))
        .Throw("rest/agile/1.0/board/5/sprint", () => new JiraNotFoundException("GET rest/agile/1.0/board/5/sprint answered 404 Not Found"))
        // Sprint 11 is shared with board 1; sprint 12 is this board's own.
        .Json("rest/agile/1.0/board/6/sprint", """{"values":[{"id":11,"state":"active"},{"id":12,"state":"future"}]}""")
        .Json("rest/agile/1.0/board/6/sprint?startAt=2", """{"values":[]}""");

    private static async Task<(List<SingerMessage> Messages, MemoryLog Log)> RunAsync(IJiraApi api, JiraSyncConfig? config, params string[] streams)
    {
        var catalog = Discovery.BuildCatalog(false);
        foreach (var s in streams) catalog.Find(s)!.Metadata.Set([], "selected", true);
        var log = new MemoryLog();
        var channel = Channel.CreateUnbounded<SingerMessage>();
        await new TapRunner(api, config ?? new JiraSyncConfig { BaseUrl = new Uri("https://jira.example.com/") }, log)
            .RunAsync(catalog, null, channel.Writer, CancellationToken.None);
        channel.Writer.Complete();
        var list = new List<SingerMessage>();
        await foreach (var m in channel.Reader.ReadAllAsync()) list.Add(m);
        return (list, log);
    }

    [Fact]
    public async Task Sprints_read_per_board_once_each_skip_kanban_quietly_and_name_each_unreadable_board_once()
    {
        var api = Jira();
        var (messages, log) = await RunAsync(api, null, "boards", "sprints");
        var sprints = messages.OfType<RecordMessage>().Where(r => r.Stream == "sprints").ToList();
        // One record per sprint, under the first board that lists it.
        Assert.Equal([10L, 11L, 12L], sprints.Select(r => (long)r.Record["id"]!));
        Assert.Equal([1L, 1L, 6L], sprints.Select(r => (long)r.Record["boardId"]!));
        Assert.Equal(6, messages.OfType<RecordMessage>().Count(r => r.Stream == "boards"));
        // The board list is read once for both streams; the kanban board (typed) is never asked.
        Assert.Single(api.Requests, r => r.StartsWith("rest/agile/1.0/board?", StringComparison.Ordinal));
        Assert.DoesNotContain(api.Requests, r => r.StartsWith("rest/agile/1.0/board/2/", StringComparison.Ordinal));
        var warnings = log.Lines.Where(l => l.StartsWith("WARNING")).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.StartsWith("WARNING sprints: board 4 (Leads) answered 403 for rest/agile/1.0/board/4/sprint; skipped", warnings[0]);
        Assert.StartsWith("WARNING sprints: board 5 (Gone) answered 404 for rest/agile/1.0/board/5/sprint; skipped", warnings[1]);
        // A gap in sprints withholds its closing ACTIVATE_VERSION; boards were read whole and close theirs.
        var last = messages.FindLastIndex(m => m is RecordMessage { Stream: "sprints" });
        Assert.DoesNotContain(messages.Skip(last), m => m is ActivateVersionMessage { Stream: "sprints" });
        Assert.Contains(messages.Skip(messages.FindLastIndex(m => m is RecordMessage { Stream: "boards" })), m => m is ActivateVersionMessage { Stream: "boards" });
    }

    [Fact]
    public async Task A_quiet_skip_alone_leaves_the_table_complete()
    {
        var api = Jira("""{"isLast":true,"values":[{"id":1,"type":"scrum"},{"id":3}]}""");
        var (messages, log) = await RunAsync(api, null, "sprints");
        Assert.DoesNotContain(log.Lines, l => l.StartsWith("WARNING"));
        var last = messages.FindLastIndex(m => m is RecordMessage { Stream: "sprints" });
        Assert.Contains(messages.Skip(last), m => m is ActivateVersionMessage { Stream: "sprints" });
        Assert.DoesNotContain(messages, m => m is RecordMessage { Stream: "boards" }); // read for its children, not emitted
    }

    [Fact]
    public async Task Boards_follow_the_configured_projects()
    {
        var config = new JiraSyncConfig { BaseUrl = new Uri("https://jira.example.com/"), Projects = ["B"] };
        var (messages, _) = await RunAsync(Jira(), config, "boards");
        Assert.Equal([5L], messages.OfType<RecordMessage>().Where(r => r.Stream == "boards").Select(r => (long)r.Record["id"]!));
    }

    [Fact]
    public async Task Labels_are_bare_strings_wrapped_as_records_and_link_types_sit_under_their_key()
    {
        var api = Jira()
            .Json("rest/api/2/label?startAt=0", """{"isLast":false,"values":["backend","ux"]}""")
            .Json("rest/api/2/label?startAt=2", """{"isLast":true,"values":["zeta"]}""")
            .Json("rest/api/2/issueLinkType", """{"issueLinkTypes":[{"id":"10000","name":"Blocks","inward":"is blocked by","outward":"blocks"}]}""");
        var (messages, _) = await RunAsync(api, null, "labels", "issue_link_types");
        Assert.Equal(["backend", "ux", "zeta"], messages.OfType<RecordMessage>().Where(r => r.Stream == "labels").Select(r => (string)r.Record["label"]!));
        Assert.Equal("Blocks", (string?)messages.OfType<RecordMessage>().Single(r => r.Stream == "issue_link_types").Record["name"]);
    }

    [Fact]
    public async Task A_per_issue_stream_refused_on_every_issue_warns_once_not_once_per_issue()
    {
        var ids = Enumerable.Range(10000, 5).Select(i => i.ToString()).ToList();
        var api = Jira()
            .Dynamic("rest/api/2/search/jql", _ => """{"isLast":true,"issues":[""" + string.Join(",", ids.Select(i => $"{{\"id\":\"{i}\"}}")) + "]}")
            .Dynamic("rest/api/2/issue/bulkfetch", _ => """{"issues":[""" +
                string.Join(",", ids.Select(i => $"{{\"id\":\"{i}\",\"fields\":{{\"updated\":\"2025-06-01T00:00:00.000+0000\"}}}}")) + "]}")
            .Throw("rest/api/2/issue/", () => new JiraForbiddenException("GET rest/api/2/issue/…/watchers answered 403 Forbidden"));
        var (messages, log) = await RunAsync(api, null, "issue_watchers");
        Assert.Equal(5, api.Requests.Count(r => r.EndsWith("/watchers", StringComparison.Ordinal)));
        var warning = Assert.Single(log.Lines, l => l.StartsWith("WARNING"));
        Assert.StartsWith("WARNING issue_watchers: issue 10000 answered 403", warning);
        Assert.Empty(messages.OfType<RecordMessage>());
    }
}
