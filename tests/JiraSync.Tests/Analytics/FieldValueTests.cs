using System.Text.Json;
using JiraSync.Analytics;

namespace JiraSync.Tests.Analytics;

/// <summary>The shapes changelog items and issue values take (analytics-notes.md §3.3, §3.5).</summary>
public class FieldValueTests
{
    [Theory]
    [InlineData("[10000, 10001]", "Red, Blue", "10000=Red;10001=Blue")]   // multi-select: bracketed ids, comma-joined names
    [InlineData("1, 2", "Sprint 1, Sprint 2", "1=Sprint 1;2=Sprint 2")]   // Sprint: comma-separated ids
    [InlineData("1, 2", "A, B, C", "1=;2=")]                              // a name containing ", ": names not paired
    [InlineData(null, "alpha beta  gamma", "alpha=alpha;beta=beta;gamma=gamma")] // labels: no id side, whitespace-separated
    [InlineData(null, null, "")]
    public void Whole_list_sides_split_into_values(string? ids, string? display, string expected) =>
        Assert.Equal(expected, string.Join(";", FieldValue.ListFromChange(ids, display).Select(v => $"{v.Value}={v.Display}")));

    [Theory]
    [InlineData("""{"accountId":"abc","displayName":"Ann"}""", "abc", "Ann")]
    [InlineData("""{"id":"10001","name":"In Review","statusCategory":{"key":"indeterminate"}}""", "10001", "In Review")]
    [InlineData("""{"id":"20002","value":"High"}""", "20002", "High")]
    [InlineData("""{"key":"JIRAUSER10001","name":"ann","displayName":"Ann"}""", "JIRAUSER10001", "Ann")]   // Server user
    [InlineData("5.5", "5.5", "5.5")]
    [InlineData("\"com.atlassian.greenhopper.service.sprint.Sprint@1a2b[id=7,rapidViewId=3,state=CLOSED,name=Sprint 7,startDate=2024-01-01]\"", "7", "Sprint 7")]
    public void Issue_values_give_their_id_and_display(string json, string value, string display)
    {
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(new FieldValue(value, display), FieldValue.FromIssue(doc.RootElement));
    }

    [Theory]
    [InlineData("Story Points", "story_points")]
    [InlineData("Go-Live", "go_live")]
    [InlineData("Crème brûlée", "creme_brulee")]
    [InlineData("2nd tier", "f_2nd_tier")]
    [InlineData("東京", "field")]
    public void Field_names_become_safe_identifiers(string name, string expected) => Assert.Equal(expected, AnalyticsViews.SafeIdentifier(name));

    [Fact]
    public void Two_fields_with_one_name_or_a_reserved_name_get_their_id_as_suffix()
    {
        var columns = AnalyticsViews.ColumnNames(new Dictionary<string, string>
        {
            ["customfield_1"] = "Team", ["customfield_2"] = "team", ["customfield_3"] = "Issue Key", ["customfield_4"] = "Points",
        }, new HashSet<string> { "issue_id", "issue_key" });
        Assert.Equal("team_customfield_1", columns["customfield_1"]);
        Assert.Equal("team_customfield_2", columns["customfield_2"]);
        Assert.Equal("issue_key_customfield_3", columns["customfield_3"]);
        Assert.Equal("points", columns["customfield_4"]);
    }
}
