using System.Text.Json.Nodes;
using System.Threading.Channels;
using JiraSync.Config;
using JiraSync.Logging;
using JiraSync.Singer;
using JiraSync.Streams;

namespace JiraSync.Tests.Tap;

/// <summary>
/// Search pages are positions in a result that changes while it is read: when an issue already read
/// is updated, it moves to the end and the next page starts one issue later, so one issue is never on
/// any page. The sweep must notice and read it, and the bookmark must not pass it before it has.
/// </summary>
public class SearchShiftTests
{
    private static string Issue(string id, string updated) =>
        "{\"id\":\"" + id + "\",\"key\":\"K-" + id + "\",\"fields\":{\"updated\":\"" + updated + "\",\"comment\":{\"comments\":[],\"total\":0}}}";

    private static FakeJiraApi Jira(Func<JsonNode?, string> search) => new FakeJiraApi()
        .Json("rest/api/2/serverInfo", """{"deploymentType":"Cloud","serverTime":"2026-01-01T00:00:00.000+0000"}""")
        .Json("rest/api/2/myself", """{"timeZone":"UTC"}""")
        .Dynamic("rest/api/2/search/jql", search)
        .Dynamic("rest/api/2/issue/bulkfetch", body =>
        {
            var ids = body!["issueIdsOrKeys"]!.AsArray().Select(n => (string)n!).ToList();
            var all = new Dictionary<string, string>
            {
                ["1"] = Issue("1", "2025-01-01T00:00:00.000+0000"), ["2"] = Issue("2", "2025-01-02T00:00:00.000+0000"),
                ["3"] = Issue("3", "2025-01-03T00:00:00.000+0000"), ["4"] = Issue("4", "2025-01-04T00:00:00.000+0000"),
            };
            return "{\"issues\":[" + string.Join(",", ids.Select(i => all[i])) + "],\"issueErrors\":[]}";
        });

    [Fact]
    public async Task An_issue_shifted_between_two_pages_is_found_by_the_verification_listing()
    {
        var updatedOf = new Dictionary<string, DateTime> { ["1"] = new(2025, 1, 1), ["2"] = new(2025, 1, 2), ["3"] = new(2025, 1, 3), ["4"] = new(2025, 1, 4) };
        var api = Jira(body =>
        {
            var jql = (string)body!["jql"]!;
            var token = (string?)body["nextPageToken"];
            if (!jql.EndsWith("ORDER BY updated ASC")) return """{"issues":[],"isLast":true}"""; // the deletion check
            var upper = System.Text.RegularExpressions.Regex.Match(jql, "updated <= \"([^\"]+)\"");
            if (!upper.Success)
                // The sweep: page 1 holds 1 and 2; meanwhile an update slid 3 back onto page 1; page 2 starts at 4.
                return token == null ? """{"issues":[{"id":"1"},{"id":"2"}],"nextPageToken":"p2","isLast":false}""" : """{"issues":[{"id":"4"}],"isLast":true}""";
            // A segment's verification listing: the ids whose updated falls in the range (UTC user, no look-back).
            var from = DateTime.ParseExact(System.Text.RegularExpressions.Regex.Match(jql, "updated >= \"([^\"]+)\"").Groups[1].Value, "yyyy/MM/dd HH:mm", null);
            var to = DateTime.ParseExact(upper.Groups[1].Value, "yyyy/MM/dd HH:mm", null);
            var ids = updatedOf.Where(p => p.Value >= from && p.Value <= to).Select(p => "{\"id\":\"" + p.Key + "\"}");
            return "{\"issues\":[" + string.Join(",", ids) + "],\"isLast\":true}";
        });
        var catalog = Discovery.BuildCatalog(false);
        catalog.Find("issues")!.Metadata.Set([], "selected", true);
        var config = new JiraSyncConfig { BaseUrl = new Uri("https://jira.example.com/"), StartDate = DateTimeOffset.Parse("2024-01-01T00:00:00Z"), LookbackMinutes = 0 };
        var channel = Channel.CreateUnbounded<SingerMessage>();
        var log = new MemoryLog();
        await new TapRunner(api, config, log).RunAsync(catalog, null, channel.Writer, CancellationToken.None);
        channel.Writer.Complete();
        var messages = new List<SingerMessage>();
        await foreach (var m in channel.Reader.ReadAllAsync()) messages.Add(m);

        Assert.Equal(["1", "2", "4", "3"], messages.OfType<RecordMessage>().Select(r => (string)r.Record["id"]!));
        Assert.Contains(log.Lines, l => l.Contains("1 issue(s) were not on the search pages"));
        // Until issue 3 was emitted, the bookmark did not move past it.
        var indexOf3 = messages.FindIndex(m => m is RecordMessage r && (string?)r.Record["id"] == "3");
        foreach (var state in messages.Take(indexOf3).OfType<StateMessage>())
        {
            var s = TapState.FromJson(state.Value);
            Assert.True(s.Get("issues", Bookmarks.Updated) is not { } u || u < DateTimeOffset.Parse("2025-01-03T00:00:00Z"));
        }
        var final = TapState.FromJson(((StateMessage)messages.Last()).Value);
        Assert.Equal(DateTimeOffset.Parse("2025-01-04T00:00:00Z"), final.Get("issues", Bookmarks.Updated));
    }
}
