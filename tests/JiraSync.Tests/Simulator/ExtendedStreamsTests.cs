using System.Net;
using System.Text.Json.Nodes;
using JiraSync.Simulator;
using JiraSync.Simulator.Control;

namespace JiraSync.Tests.Simulator;

/// <summary>The issue-8 streams read over HTTPS (<see cref="StreamWalker"/>) against the simulator's expected key sets,
/// on Cloud and Server/DC, before and after the control mutations; and every record against its stream's JSON schema
/// embedded in JiraSync (src/JiraSync/Streams/Schemas).</summary>
public sealed class ExtendedStreamsTests
{
    private static readonly string[] Streams =
    [
        "statuses", "status_categories", "priorities", "issue_types", "fields", "custom_field_options", "issue_link_types", "labels",
        "filters", "groups", "group_members", "boards", "sprints", "sprint_issues", "issue_links", "attachments", "issue_watchers", "issue_remote_links",
    ];

    private static SimulatorOptions Small(Deployment d) => new() { Deployment = d, IssuesPerProject = 15, HeavyIssues = 1, WorklogsAtOneInstant = 0 };

    private static async Task<StreamWalker> Walk(SimulatorHttp http, bool cloud)
    {
        var walker = new StreamWalker(http, cloud);
        await walker.WalkAllAsync();
        return walker;
    }

    private static void AssertKeysMatch(IReadOnlyDictionary<string, IReadOnlySet<string>> expected, StreamWalker walked)
    {
        Assert.Equal(Streams.Order(), expected.Keys.Where(Streams.Contains).Order());
        foreach (var stream in Streams)
        {
            var actual = walked.Keys.GetValueOrDefault(stream) ?? [];
            Assert.True(expected[stream].SetEquals(actual),
                $"{stream}: expected but not served [{string.Join(",", expected[stream].Except(actual).Take(5))}], served but not expected [{string.Join(",", actual.Except(expected[stream]).Take(5))}]");
        }
    }

    [Theory]
    [InlineData(Deployment.Cloud)]
    [InlineData(Deployment.Server)]
    public async Task Expected_keys_equal_what_the_endpoints_serve_and_records_fit_their_schemas(Deployment deployment)
    {
        await using var sim = await JiraSimulator.StartAsync(Small(deployment));
        using var http = new SimulatorHttp(sim);
        var cloud = deployment == Deployment.Cloud;
        var walked = await Walk(http, cloud);
        var expected = sim.Control.ExpectedKeys(ExpectedStreams.All);
        AssertKeysMatch(expected, walked);

        // Realistic, non-trivial data in every stream that the deployment serves.
        foreach (var stream in Streams.Except(cloud ? [] : ["custom_field_options", "labels"]))
            Assert.True(expected[stream].Count > 0, $"{stream} has no data");
        Assert.Equal(4, walked.Records["issue_link_types"].Count);
        Assert.Equal(new[] { "kanban", "scrum", "simple" }, walked.Records["boards"].Select(b => (string?)b["type"]).OfType<string>().Distinct().Order());
        // One kanban board (400) and one private board (403) are skipped; no other board fails.
        Assert.Equal(new[] { HttpStatusCode.BadRequest, HttpStatusCode.Forbidden }, walked.SkippedBoards.Values.Order());
        // The default tap-jira set is unchanged by the new streams.
        Assert.DoesNotContain("boards", sim.Control.ExpectedKeys().Keys);

        foreach (var stream in Streams)
            foreach (var record in walked.Records.GetValueOrDefault(stream) ?? [])
                SchemaConformance.Check(stream, record);
    }

    [Fact]
    public async Task Expected_keys_follow_every_mutation()
    {
        await using var sim = await JiraSimulator.StartAsync(Small(Deployment.Cloud));
        using var http = new SimulatorHttp(sim);
        var c = sim.Control;
        var before = c.ExpectedKeys(ExpectedStreams.All);

        c.AdvanceClock(TimeSpan.FromMinutes(3));
        var added = c.AddLink("ENG-1", "OPS-2", "Duplicate");
        var removed = before["issue_links"].Order(StringComparer.Ordinal).First();
        c.RemoveLink(removed);
        var sprints = before["sprints"].Select(long.Parse).Order().ToList();
        var future = sprints.Last();
        c.MoveIssueToSprint("WEB-3", future);
        var board = c.AddBoard("OPS", "scrum", "OPS hotfix board");
        var doomed = sprints.First(id => id != future && c.Read(s => s.Issues.Any(i => s.IsVisible(i) && i.SprintIds.Contains(id))));
        c.DeleteSprint(doomed);
        var attachment = c.AddAttachment("ENG-4", "trace.json", "application/json", 42);

        var after = c.ExpectedKeys(ExpectedStreams.All);
        Assert.Contains(added, after["issue_links"]);
        Assert.DoesNotContain(removed, after["issue_links"]);
        Assert.Contains(board, after["boards"]);
        Assert.DoesNotContain(doomed.ToString(), after["sprints"]);
        Assert.DoesNotContain(after["sprint_issues"], k => k.StartsWith(doomed + "|"));
        Assert.Contains(attachment, after["attachments"]);
        var web3 = (await http.GetOk("rest/api/2/issue/WEB-3?fields=id")).GetProperty("id").GetString();
        Assert.Contains($"{future}|{web3}", after["sprint_issues"]);

        AssertKeysMatch(after, await Walk(http, cloud: true));
        var (status, body, _) = await http.Get($"rest/agile/1.0/sprint/{doomed}");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Single(body.GetProperty("errorMessages").EnumerateArray());
    }
}

/// <summary>Checks a record against a stream schema from JiraSync's embedded resources: every property it carries is
/// declared (objects without declared properties are open), with an allowed JSON type.</summary>
public static class SchemaConformance
{
    private static readonly Dictionary<string, JsonObject> Cache = [];

    public static JsonObject Schema(string stream)
    {
        lock (Cache)
        {
            if (Cache.TryGetValue(stream, out var s)) return s;
            using var resource = typeof(JiraSync.Streams.SchemaStore).Assembly.GetManifestResourceStream($"JiraSync.Schemas.{stream}.json");
            Assert.True(resource is not null, $"no embedded schema JiraSync.Schemas.{stream}.json");
            return Cache[stream] = JsonNode.Parse(resource!)!.AsObject();
        }
    }

    public static void Check(string stream, JsonObject record) => Check($"{stream}", record, Schema(stream));

    private static void Check(string path, JsonNode? value, JsonObject schema)
    {
        var types = schema["type"]!.AsArray().Select(t => (string)t!).ToList();
        if (value is null) { Assert.True(types.Contains("null"), $"{path}: null is not allowed"); return; }
        var kind = value switch
        {
            JsonObject => "object",
            JsonArray => "array",
            JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String => "string",
            JsonValue v when v.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False => "boolean",
            JsonValue v when v.TryGetValue<long>(out _) => "integer",
            _ => "number",
        };
        Assert.True(types.Contains(kind) || kind == "integer" && types.Contains("number"), $"{path}: {kind} is not one of [{string.Join(",", types)}]");
        if (value is JsonObject obj && schema["properties"] is JsonObject props)
            foreach (var (name, child) in obj)
            {
                Assert.True(props.ContainsKey(name), $"{path}.{name} is not declared in the schema");
                Check($"{path}.{name}", child, props[name]!.AsObject());
            }
        if (value is JsonArray array && schema["items"] is JsonObject items)
            foreach (var item in array) Check($"{path}[]", item, items);
    }
}
