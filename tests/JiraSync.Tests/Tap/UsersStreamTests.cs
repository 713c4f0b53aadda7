using System.Threading.Channels;
using JiraSync.Config;
using JiraSync.Jira;
using JiraSync.Logging;
using JiraSync.Singer;
using JiraSync.Streams;

namespace JiraSync.Tests.Tap;

public class UsersStreamTests
{
    private static async Task<(List<RecordMessage> Users, MemoryLog Log, FakeJiraApi Api)> RunAsync(FakeJiraApi api, params string[] groups)
    {
        var catalog = Discovery.BuildCatalog(false);
        catalog.Find("users")!.Metadata.Set([], "selected", true);
        var log = new MemoryLog();
        var config = new JiraSyncConfig { BaseUrl = new Uri("https://jira.example.com/"), Groups = groups };
        var channel = Channel.CreateUnbounded<SingerMessage>();
        await new TapRunner(api, config, log).RunAsync(catalog, null, channel.Writer, CancellationToken.None);
        channel.Writer.Complete();
        var list = new List<RecordMessage>();
        await foreach (var m in channel.Reader.ReadAllAsync()) if (m is RecordMessage r) list.Add(r);
        return (list, log, api);
    }

    [Fact]
    public async Task Cloud_reads_every_user_page_then_the_configured_groups_each_user_once()
    {
        var api = new FakeJiraApi()
            .Json("rest/api/2/serverInfo", """{"deploymentType":"Cloud"}""")
            .Json("rest/api/2/myself", """{"timeZone":"UTC"}""")
            // users/search is a plain array; a short page is not the end (caps are silent), an empty one is.
            .Json("rest/api/2/users/search?startAt=0", """[{"accountId":"a"},{"accountId":"b"}]""")
            .Json("rest/api/2/users/search?startAt=2", """[{"accountId":"c"}]""")
            .Json("rest/api/2/users/search?startAt=3", """[]""")
            .Json("rest/api/2/group/member?groupname=devs", """{"isLast":true,"values":[{"accountId":"b"},{"accountId":"d","accountType":"app"}]}""")
            .Throw("rest/api/2/group/member?groupname=gone", () => new JiraNotFoundException("group/member answered 404"));
        var (users, log, _) = await RunAsync(api, "devs", "gone");
        Assert.Equal(["a", "b", "c", "d"], users.Select(u => (string)u.Record["accountId"]!));
        Assert.Contains(log.Lines, l => l.StartsWith("WARNING users: group 'gone' does not exist; skipped"));
    }

    [Fact]
    public async Task Server_reads_tap_jiras_default_groups_keyed_by_user_key()
    {
        var api = new FakeJiraApi()
            .Json("rest/api/2/serverInfo", """{"deploymentType":"Server"}""")
            .Json("rest/api/2/myself", """{"timeZone":"UTC"}""")
            .Json("rest/api/2/group/member?groupname=jira-administrators", """{"isLast":true,"values":[{"key":"admin","name":"admin"}]}""")
            .Json("rest/api/2/group/member?groupname=jira-software-users", """{"isLast":true,"values":[{"key":"admin"},{"key":"dev1"}]}""")
            .Json("rest/api/2/group/member", """{"isLast":true,"values":[]}""");
        var (users, _, fake) = await RunAsync(api);
        Assert.Equal(["admin", "dev1"], users.Select(u => (string)u.Record["key"]!));
        Assert.DoesNotContain(fake.Requests, r => r.StartsWith("rest/api/2/users/search"));
        Assert.Contains(fake.Requests, r => r.Contains("groupname=jira-users&includeInactiveUsers=true"));
    }
}
