using System.Threading.Channels;
using JiraSync.Config;
using JiraSync.Jira;
using JiraSync.Logging;
using JiraSync.Singer;
using JiraSync.Streams;

namespace JiraSync.Tests.Tap;

public class ProjectSkipTests
{
    private static FakeJiraApi Jira() => new FakeJiraApi()
        .Json("rest/api/2/serverInfo", """{"deploymentType":"Cloud","serverTime":"2026-01-01T00:00:00.000+0000"}""")
        .Json("rest/api/2/myself", """{"timeZone":"Europe/Berlin"}""")
        .Json("rest/api/2/project/search", """{"isLast":true,"startAt":0,"total":2,"values":[{"id":"10","key":"A"},{"id":"20","key":"B"}]}""")
        .Json("rest/api/2/project/10/version", """{"isLast":true,"values":[{"id":"1","name":"v1","projectId":10,"userReleaseDate":"6/Jul/10"}]}""")
        .Json("rest/api/2/project/10/component", """{"isLast":true,"values":[{"id":"7","name":"c"}]}""")
        .Throw("rest/api/2/project/20/version", () => new JiraForbiddenException("GET rest/api/2/project/20/version answered 403 Forbidden"))
        .Throw("rest/api/2/project/20/component", () => new JiraNotFoundException("GET rest/api/2/project/20/component answered 404 Not Found"));

    private static Task<(List<SingerMessage> Messages, MemoryLog Log)> RunAsync(IJiraApi api, params string[] streams) =>
        RunAsync(api, new JiraSyncConfig { BaseUrl = new Uri("https://jira.example.com/") }, streams);

    private static async Task<(List<SingerMessage> Messages, MemoryLog Log)> RunAsync(IJiraApi api, JiraSyncConfig config, params string[] streams)
    {
        var catalog = Discovery.BuildCatalog(false);
        foreach (var s in streams) catalog.Find(s)!.Metadata.Set([], "selected", true);
        var log = new MemoryLog();
        var channel = Channel.CreateUnbounded<SingerMessage>();
        await new TapRunner(api, config, log).RunAsync(catalog, null, channel.Writer, CancellationToken.None);
        channel.Writer.Complete();
        var list = new List<SingerMessage>();
        await foreach (var m in channel.Reader.ReadAllAsync()) list.Add(m);
        return (list, log);
    }

    [Fact]
    public async Task A_project_the_user_may_not_read_is_skipped_with_a_warning_and_no_closing_activate_version()
    {
        var (messages, log) = await RunAsync(Jira(), "versions", "components");
        var versions = messages.OfType<RecordMessage>().Where(r => r.Stream == "versions").ToList();
        var record = Assert.Single(versions);
        Assert.Equal("2010-07-06T00:00:00.000000Z", (string?)record.Record["userReleaseDate"]);
        Assert.Equal(10, (long)record.Record["projectId"]!);
        // Components of project 10 get their parent's id added.
        Assert.Equal(10, (long)messages.OfType<RecordMessage>().Single(r => r.Stream == "components").Record["projectId"]!);
        Assert.Contains(log.Lines, l => l.StartsWith("WARNING versions: project 20 answered 403"));
        Assert.Contains(log.Lines, l => l.StartsWith("WARNING components: project 20 answered 404"));
        // The first-sync ACTIVATE_VERSION comes before the records; the closing one is withheld.
        var versionIndex = messages.FindIndex(m => m is RecordMessage { Stream: "versions" });
        Assert.DoesNotContain(messages.Skip(versionIndex), m => m is ActivateVersionMessage { Stream: "versions" });
        Assert.Null(TapState.FromJson(((StateMessage)messages.Last()).Value).CurrentlySyncing);
    }

    [Fact]
    public async Task Roles_forbidden_to_a_non_admin_skip_the_stream_not_the_run()
    {
        var api = Jira().Throw("rest/api/2/role", () => new JiraForbiddenException("GET rest/api/2/role answered 403 Forbidden"))
            .Json("rest/api/2/resolution", """[{"id":"1","name":"Done"}]""");
        var (messages, log) = await RunAsync(api, "roles", "resolutions");
        Assert.Single(messages.OfType<RecordMessage>(), r => r.Stream == "resolutions");
        Assert.DoesNotContain(messages.OfType<RecordMessage>(), r => r.Stream == "roles");
        Assert.Contains(log.Lines, l => l.Contains("roles") && l.Contains("403"));
    }

    [Fact]
    public async Task Configured_projects_limit_every_project_stream_and_the_issue_search()
    {
        var api = Jira().Json("rest/api/2/search/jql", """{"issues":[],"isLast":true}""");
        var config = new JiraSyncConfig
        {
            BaseUrl = new Uri("https://jira.example.com/"), Projects = ["A", "Z"], LookbackMinutes = 0,
            StartDate = new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero),
        };
        var (messages, log) = await RunAsync(api, config, "projects", "versions", "issues");
        Assert.Equal(["10"], messages.OfType<RecordMessage>().Where(r => r.Stream == "projects").Select(r => (string)r.Record["id"]!));
        Assert.DoesNotContain(api.Requests, r => r.StartsWith("rest/api/2/project/20/"));
        Assert.Contains(log.Lines, l => l.StartsWith("WARNING project 'Z' from the config is not visible"));
        // The sweep's JQL: the visible configured projects (Jira answers 400 to a JQL naming an unknown one),
        // and start_date in the user's zone (Berlin, summer time: UTC+2).
        var jqls = api.Bodies.Select(b => (string?)b["jql"]).ToList();
        Assert.Contains("project in (\"A\") AND updated >= \"2025/06/01 14:00\" ORDER BY updated ASC", jqls);
        Assert.DoesNotContain(jqls, j => j!.Contains("\"Z\""));
        // The deletion check lists ids in the same scope.
        Assert.Contains(jqls, j => j!.StartsWith("project in (\"A\") AND updated >= ") && j.EndsWith("ORDER BY id ASC"));
    }
}
