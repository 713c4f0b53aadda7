using System.Text.Json;
using JiraSync.Config;
using JiraSync.Jira;
using JiraSync.Logging;
using JiraSync.Singer;
using JiraSync.Streams;

namespace JiraSync.Tests.Tap;

/// <summary>Records taken from an issue's own fields: sprint membership (both Sprint field forms), links, attachments.</summary>
public class IssueDerivedTests
{
    private static TapContext Context(IReadOnlyList<JiraField>? fields) =>
        new(new FakeJiraApi(), new JiraSyncConfig { BaseUrl = new Uri("https://jira.example.com/") }, new MemoryLog(),
            new JiraInstanceInfo { DeploymentType = "Cloud", ServerTime = DateTimeOffset.UnixEpoch, TimeZoneSource = "test" }, new TapOutput(System.Threading.Channels.Channel.CreateUnbounded<SingerMessage>(), TapState.FromJson(null),
                new Dictionary<string, StreamPlan>(), new MemoryLog())) { Fields = fields };

    private static readonly JiraField[] SiteFields =
    [
        new("customfield_10020", "Sprint", true, "array", "json", IssueDerived.SprintFieldType),
        new("customfield_10030", "Team", true, "option", null, "com.atlassian.jira.plugin.system.customfieldtypes:select"),
    ];

    private static JsonElement Issue(string fieldsJson) => JsonDocument.Parse($$"""{"id":"10001","fields":{{fieldsJson}}}""").RootElement;

    [Fact]
    public void Sprint_membership_reads_cloud_objects_found_by_the_fields_custom_type()
    {
        var issue = Issue("""
            {"customfield_10020":[{"id":3,"name":"Sprint 3","state":"closed","boardId":1},{"id":"5","name":"Sprint 5","state":"active","boardId":1}],
             "customfield_10030":{"id":"7","value":"Red"}}
            """);
        var records = IssueDerived.SprintMemberships(Context(SiteFields), issue).ToList();
        Assert.Equal([3L, 5L], records.Select(r => (long)r["sprintId"]!));
        Assert.Equal(["closed", "active"], records.Select(r => (string?)r["sprintState"]));
        Assert.Empty(IssueDerived.SprintMemberships(Context(null), issue)); // no field list: no Sprint field known
    }

    [Fact]
    public void Sprint_membership_parses_the_legacy_server_strings_names_with_commas_included()
    {
        var issue = Issue("""
            {"customfield_10020":[
              "com.atlassian.greenhopper.service.sprint.Sprint@1f3a[id=12,rapidViewId=4,state=CLOSED,name=Sprint 12, the long one,startDate=2026-01-01T10:00:00.000Z,endDate=<null>,completeDate=<null>,sequence=12,goal=]",
              "com.atlassian.greenhopper.service.sprint.Sprint@77[id=13,rapidViewId=4,state=ACTIVE,name=Sprint 13,goal=Ship]"]}
            """);
        var records = IssueDerived.SprintMemberships(Context(SiteFields), issue).ToList();
        Assert.Equal([12L, 13L], records.Select(r => (long)r["sprintId"]!));
        Assert.Equal(["Sprint 12, the long one", "Sprint 13"], records.Select(r => (string?)r["sprintName"]));
        Assert.Equal(["closed", "active"], records.Select(r => (string?)r["sprintState"]));
        Assert.Equal([4L, 4L], records.Select(r => (long)r["boardId"]!));
    }

    [Fact]
    public void Links_say_which_way_they_point_from_the_issue_and_name_the_other_issue()
    {
        var issue = Issue("""
            {"issuelinks":[
              {"id":"100","type":{"id":"1","name":"Blocks","inward":"is blocked by","outward":"blocks"},"outwardIssue":{"id":"10002","key":"A-2"}},
              {"id":"101","type":{"id":"2","name":"Duplicate","inward":"is duplicated by","outward":"duplicates"},"inwardIssue":{"id":"10003","key":"A-3"}}]}
            """);
        var links = IssueDerived.Links(Context(null), issue).ToList();
        Assert.Equal(["100", "101"], links.Select(l => (string?)l["id"]));
        Assert.Equal(["outward", "inward"], links.Select(l => (string?)l["direction"]));
        Assert.Equal(["blocks", "is duplicated by"], links.Select(l => (string?)l["relationship"]));
        Assert.Equal(["10002", "10003"], links.Select(l => (string?)l["otherIssueId"]));
        Assert.Equal(["A-2", "A-3"], links.Select(l => (string?)l["otherIssueKey"]));
        Assert.Equal(["Blocks", "Duplicate"], links.Select(l => (string?)l["typeName"]));
    }

    [Fact]
    public void Attachments_are_the_embedded_metadata_and_no_field_means_none()
    {
        var issue = Issue("""{"attachment":[{"id":"9","filename":"a.png","size":12,"mimeType":"image/png"}]}""");
        Assert.Equal("a.png", (string?)IssueDerived.Attachments(Context(null), issue).Single()["filename"]);
        Assert.Empty(IssueDerived.Attachments(Context(null), Issue("{}")));
        Assert.Empty(IssueDerived.Links(Context(null), Issue("""{"issuelinks":null}""")));
    }
}
