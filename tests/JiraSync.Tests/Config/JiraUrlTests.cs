using JiraSync.Config;
using JiraSync.Errors;

namespace JiraSync.Tests.Config;

public class JiraUrlTests
{
    [Theory]
    [InlineData("example.atlassian.net", "https://example.atlassian.net/")]
    [InlineData("https://example.atlassian.net", "https://example.atlassian.net/")]
    [InlineData("https://jira.corp.example:8443/jira", "https://jira.corp.example:8443/jira/")]
    [InlineData(" https://jira.corp.example/jira/ ", "https://jira.corp.example/jira/")]
    public void Normalizes_to_https_with_trailing_slash(string raw, string expected) =>
        Assert.Equal(new Uri(expected), JiraUrl.Normalize(raw));

    [Theory]
    [InlineData("ftp://jira.example.com")]
    [InlineData("https://jira.example.com/?a=1")]
    [InlineData("https://")]
    public void Refuses_other_schemes_and_junk(string raw) =>
        Assert.Throws<ConfigException>(() => JiraUrl.Normalize(raw));

    [Fact]
    public void Display_drops_user_info() =>
        Assert.Equal("https://jira.example.com/rest/api/2/myself?x=1", JiraUrl.Display(new Uri("https://bob:pw@jira.example.com/rest/api/2/myself?x=1")));
}
