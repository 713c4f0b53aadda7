using System.Text.Json;
using System.Text.Json.Nodes;
using JiraSync.Jira;
using JiraSync.Jira.Paging;
using JiraSync.Tests.Tap;

namespace JiraSync.Tests.Jira;

/// <summary>
/// Each way Jira pages, against canned answers: the stop rules and their edge cases (a cap applied below the
/// asked page size, an empty last page, isLast missing, a total that moves between pages, a repeated token).
/// Expected items and requests are written out by hand from the canned pages.
/// </summary>
public class PagingTests
{
    /// <summary>Items "1".."n" as JSON objects {"id":"k"}, starting at <paramref name="from"/>.</summary>
    private static string Items(int from, int count) =>
        "[" + string.Join(",", Enumerable.Range(from, count).Select(i => $$"""{"id":"{{i}}"}""")) + "]";

    private static async Task<List<string>> Ids(IJiraPager pager, IJiraApi api, string path) =>
        (await pager.ListAsync(api, path)).Select(i => i.GetProperty("id").GetString()!).ToList();

    private static List<string> Range(int from, int count) => Enumerable.Range(from, count).Select(i => i.ToString()).ToList();

    // ---- PageBean -------------------------------------------------------------------------------------

    [Fact]
    public async Task PageBean_advances_by_what_arrived_when_Jira_caps_the_page_below_the_asked_size()
    {
        // Asked for 100, Jira serves 50 a page (maxResults says so) out of 120.
        var api = new FakeJiraApi()
            .Json("list?startAt=0&maxResults=100", $$"""{"startAt":0,"maxResults":50,"total":120,"isLast":false,"values":{{Items(0, 50)}}}""")
            .Json("list?startAt=50&maxResults=100", $$"""{"startAt":50,"maxResults":50,"total":120,"isLast":false,"values":{{Items(50, 50)}}}""")
            .Json("list?startAt=100&maxResults=100", $$"""{"startAt":100,"maxResults":50,"total":120,"isLast":true,"values":{{Items(100, 20)}}}""");
        Assert.Equal(Range(0, 120), await Ids(new PageBeanPager(100), api, "list"));
        Assert.Equal(["list?startAt=0&maxResults=100", "list?startAt=50&maxResults=100", "list?startAt=100&maxResults=100"], api.Requests);
    }

    [Fact]
    public async Task PageBean_without_isLast_or_total_ends_on_an_empty_page()
    {
        var api = new FakeJiraApi()
            .Json("list?startAt=0&", $$"""{"values":{{Items(0, 2)}}}""")
            .Json("list?startAt=2&", $$"""{"values":{{Items(2, 2)}}}""")
            .Json("list?startAt=4&", """{"values":[]}""");
        Assert.Equal(Range(0, 4), await Ids(new PageBeanPager(2), api, "list"));
        Assert.Equal(3, api.Requests.Count);
    }

    [Fact]
    public async Task PageBean_without_isLast_stops_at_total_without_asking_for_an_empty_page()
    {
        var api = new FakeJiraApi()
            .Json("list?startAt=0&", $$"""{"total":3,"values":{{Items(0, 2)}}}""")
            .Json("list?startAt=2&", $$"""{"total":3,"values":{{Items(2, 1)}}}""");
        Assert.Equal(Range(0, 3), await Ids(new PageBeanPager(2), api, "list"));
        Assert.Equal(2, api.Requests.Count);
    }

    [Fact]
    public async Task PageBean_follows_a_total_that_grows_between_pages()
    {
        // total said 4 on the first page and 6 on the second (an item was created meanwhile).
        var api = new FakeJiraApi()
            .Json("list?startAt=0&", $$"""{"total":4,"values":{{Items(0, 2)}}}""")
            .Json("list?startAt=2&", $$"""{"total":6,"values":{{Items(2, 2)}}}""")
            .Json("list?startAt=4&", $$"""{"total":6,"values":{{Items(4, 2)}}}""");
        Assert.Equal(Range(0, 6), await Ids(new PageBeanPager(2), api, "list"));
    }

    [Fact]
    public async Task PageBean_ends_on_an_empty_page_even_when_isLast_said_more_would_come()
    {
        // Items deleted between requests: the page Jira promised is empty (the spec: "assume that the requested page can be empty").
        var api = new FakeJiraApi()
            .Json("list?startAt=0&", $$"""{"total":10,"isLast":false,"values":{{Items(0, 2)}}}""")
            .Json("list?startAt=2&", """{"total":2,"isLast":false,"values":[]}""");
        Assert.Equal(Range(0, 2), await Ids(new PageBeanPager(2), api, "list"));
        Assert.Equal(2, api.Requests.Count);
    }

    [Fact]
    public async Task PageBean_trusts_isLast_over_total()
    {
        var api = new FakeJiraApi().Json("list?startAt=0&", $$"""{"total":99,"isLast":true,"values":{{Items(0, 2)}}}""");
        Assert.Equal(Range(0, 2), await Ids(new PageBeanPager(2), api, "list"));
        Assert.Single(api.Requests);
    }

    [Fact]
    public async Task A_page_without_its_items_fails_naming_the_url()
    {
        var api = new FakeJiraApi().Json("list?", """{"total":1,"items":[]}""");
        var ex = await Assert.ThrowsAsync<JiraRequestException>(() => new PageBeanPager(5).ListAsync(api, "list"));
        Assert.Equal("unexpected response from list?startAt=0&maxResults=5 (HTTP 200): no \"values\" array", ex.Message);
    }

    // ---- Offset lists (comments, worklogs, histories, legacy search) -----------------------------------

    [Fact]
    public async Task Offset_list_reads_its_own_key_and_follows_a_capped_page_size()
    {
        // Asked for 100 comments a page; Jira serves 20 (maxResults 20) of 45.
        var api = new FakeJiraApi()
            .Json("c?startAt=0&", $$"""{"startAt":0,"maxResults":20,"total":45,"comments":{{Items(0, 20)}}}""")
            .Json("c?startAt=20&", $$"""{"startAt":20,"maxResults":20,"total":45,"comments":{{Items(20, 20)}}}""")
            .Json("c?startAt=40&", $$"""{"startAt":40,"maxResults":20,"total":45,"comments":{{Items(40, 5)}}}""");
        Assert.Equal(Range(0, 45), await Ids(new OffsetListPager("comments", 100), api, "c"));
        Assert.Equal(3, api.Requests.Count);
    }

    [Fact]
    public async Task Offset_list_follows_a_total_that_shrinks_and_ends_on_an_empty_page()
    {
        var api = new FakeJiraApi()
            .Json("w?startAt=0&", $$"""{"total":5,"worklogs":{{Items(0, 2)}}}""")
            .Json("w?startAt=2&", $$"""{"total":3,"worklogs":{{Items(2, 1)}}}""");
        Assert.Equal(Range(0, 3), await Ids(new OffsetListPager("worklogs", 2), api, "w"));
        Assert.Equal(2, api.Requests.Count);

        var lying = new FakeJiraApi()
            .Json("h?startAt=0&", $$"""{"total":9,"histories":{{Items(0, 2)}}}""")
            .Json("h?startAt=2&", """{"total":9,"histories":[]}""");
        Assert.Equal(Range(0, 2), await Ids(new OffsetListPager("histories", 2), lying, "h"));
    }

    [Fact]
    public async Task Offset_list_page_at_a_position_reports_its_total()
    {
        var api = new FakeJiraApi().Json("rest/api/2/search?jql=x&startAt=50&maxResults=50", $$"""{"startAt":50,"total":51,"issues":{{Items(50, 1)}}}""");
        var page = await new OffsetListPager("issues", 50).PageAtAsync(api, "rest/api/2/search?jql=x", 50, 50, default);
        Assert.Equal(51, OffsetListPager.Total(page));
        Assert.True(page.IsLast);
    }

    // ---- Windowed offset reads (Data Center's search window) ------------------------------------------

    private static async Task<List<string>> WindowIds(WindowedOffsetRead read, OrderedPageFetch? fetchRest = null)
    {
        var ids = new List<string>();
        await foreach (var page in read.PagesAsync(fetchRest, default)) ids.AddRange(page.Items.Select(i => i.GetProperty("id").GetString()!));
        return ids;
    }

    [Fact]
    public async Task Windowed_read_stops_before_a_page_would_pass_the_window_and_says_it_reached_it()
    {
        // 25 issues, a window of 10, pages of 4: 0-3, 4-7, then only 2 (8 + 2 = 10), never a page ending past 10.
        var api = new FakeJiraApi()
            .Json("s?startAt=0&maxResults=4", $$"""{"total":25,"issues":{{Items(0, 4)}}}""")
            .Json("s?startAt=4&maxResults=4", $$"""{"total":25,"issues":{{Items(4, 4)}}}""")
            .Json("s?startAt=8&maxResults=2", $$"""{"total":25,"issues":{{Items(8, 2)}}}""");
        var read = new WindowedOffsetRead(new OffsetListPager("issues", 4), api, "s", window: 10);
        Assert.Equal(Range(0, 10), await WindowIds(read));
        Assert.Equal(["s?startAt=0&maxResults=4", "s?startAt=4&maxResults=4", "s?startAt=8&maxResults=2"], api.Requests);
        Assert.Equal(10, read.Read);
        Assert.Equal(25, read.Total);
        Assert.True(read.ReachedWindow);
    }

    [Fact]
    public async Task Windowed_read_inside_the_window_reads_all_and_did_not_reach_it()
    {
        var api = new FakeJiraApi()
            .Json("s?startAt=0&", $$"""{"total":7,"issues":{{Items(0, 4)}}}""")
            .Json("s?startAt=4&", $$"""{"total":7,"issues":{{Items(4, 3)}}}""");
        var read = new WindowedOffsetRead(new OffsetListPager("issues", 4), api, "s", window: 10);
        Assert.Equal(Range(0, 7), await WindowIds(read));
        Assert.False(read.ReachedWindow);
        Assert.Equal(2, api.Requests.Count);
    }

    [Fact]
    public async Task Windowed_read_asks_later_pages_at_the_size_Jira_really_served()
    {
        // Asked for 10, Jira caps at 3: the plan strides by 3 (and asks 3) so no page passes the window of 8.
        var api = new FakeJiraApi()
            .Json("s?startAt=0&maxResults=8", $$"""{"total":20,"issues":{{Items(0, 3)}}}""")
            .Json("s?startAt=3&maxResults=3", $$"""{"total":20,"issues":{{Items(3, 3)}}}""")
            .Json("s?startAt=6&maxResults=2", $$"""{"total":20,"issues":{{Items(6, 2)}}}""");
        var read = new WindowedOffsetRead(new OffsetListPager("issues", 10), api, "s", window: 8);
        Assert.Equal(Range(0, 8), await WindowIds(read));
        Assert.Equal(["s?startAt=0&maxResults=8", "s?startAt=3&maxResults=3", "s?startAt=6&maxResults=2"], api.Requests);
        Assert.True(read.ReachedWindow);
    }

    [Fact]
    public async Task Windowed_read_ends_on_an_empty_page_without_claiming_the_window()
    {
        // The total said 20, but issues were deleted meanwhile: the second page is empty, the third never asked.
        var api = new FakeJiraApi()
            .Json("s?startAt=0&", $$"""{"total":20,"issues":{{Items(0, 4)}}}""")
            .Json("s?startAt=4&", """{"total":4,"issues":[]}""");
        var read = new WindowedOffsetRead(new OffsetListPager("issues", 4), api, "s", window: 10);
        Assert.Equal(Range(0, 4), await WindowIds(read));
        Assert.Equal(2, api.Requests.Count);
        Assert.False(read.ReachedWindow);
    }

    [Fact]
    public async Task Windowed_read_hands_the_planned_positions_to_a_concurrent_fetcher_and_keeps_list_order()
    {
        var api = new FakeJiraApi()
            .Json("s?startAt=0&", $$"""{"total":9,"issues":{{Items(0, 3)}}}""")
            .Json("s?startAt=3&", $$"""{"total":9,"issues":{{Items(3, 3)}}}""")
            .Json("s?startAt=6&", $$"""{"total":9,"issues":{{Items(6, 3)}}}""");
        var planned = new List<PagePosition>();
        async IAsyncEnumerable<JiraPage> AllAtOnce(IReadOnlyList<PagePosition> positions, Func<PagePosition, CancellationToken, Task<JiraPage>> fetch,
            [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
        {
            planned.AddRange(positions);
            foreach (var page in await Task.WhenAll(positions.Reverse().Select(p => fetch(p, ct))).ContinueWith(t => t.Result.Reverse(), ct))
                yield return page;
        }
        var read = new WindowedOffsetRead(new OffsetListPager("issues", 3), api, "s", window: int.MaxValue);
        Assert.Equal(Range(0, 9), await WindowIds(read, AllAtOnce));
        Assert.Equal([new PagePosition(3, 3), new PagePosition(6, 3)], planned);
        Assert.False(read.ReachedWindow);
    }

    // ---- Agile pages -----------------------------------------------------------------------------------

    [Fact]
    public async Task Agile_pages_without_isLast_or_total_continue_past_a_short_page_to_an_empty_one()
    {
        // board/{id}/sprint has no total; a short page is only a cap when isLast is missing.
        var api = new FakeJiraApi()
            .Json("rest/agile/1.0/board/1/sprint?startAt=0&", $$"""{"maxResults":50,"startAt":0,"values":{{Items(0, 3)}}}""")
            .Json("rest/agile/1.0/board/1/sprint?startAt=3&", $$"""{"maxResults":50,"startAt":3,"values":{{Items(3, 1)}}}""")
            .Json("rest/agile/1.0/board/1/sprint?startAt=4&", """{"maxResults":50,"startAt":4,"values":[]}""");
        Assert.Equal(Range(0, 4), await Ids(new AgilePager(), api, "rest/agile/1.0/board/1/sprint"));
        Assert.Equal(3, api.Requests.Count);
    }

    [Fact]
    public async Task Agile_pages_stop_on_isLast()
    {
        var api = new FakeJiraApi()
            .Json("b?startAt=0&", $$"""{"isLast":false,"values":{{Items(0, 2)}}}""")
            .Json("b?startAt=2&", $$"""{"isLast":true,"values":{{Items(2, 1)}}}""");
        Assert.Equal(Range(0, 3), await Ids(new AgilePager(2), api, "b"));
        Assert.Equal(2, api.Requests.Count);
    }

    // ---- Plain arrays ----------------------------------------------------------------------------------

    [Fact]
    public async Task Plain_array_is_one_request_and_a_values_object_counts_as_the_array()
    {
        var api = new FakeJiraApi().Json("rest/api/2/status", Items(0, 3)).Json("rest/api/2/priority", $$"""{"values":{{Items(7, 2)}}}""");
        Assert.Equal(Range(0, 3), await Ids(PlainArrayPager.Instance, api, "rest/api/2/status"));
        Assert.Equal(Range(7, 2), await Ids(PlainArrayPager.Instance, api, "rest/api/2/priority"));
        Assert.Equal(2, api.Requests.Count);
        await Assert.ThrowsAsync<JiraRequestException>(() => PlainArrayPager.Instance.ListAsync(new FakeJiraApi().Json("x", "{}"), "x"));
    }

    [Fact]
    public async Task Paged_plain_array_takes_a_short_page_as_a_cap_and_ends_on_an_empty_one()
    {
        var api = new FakeJiraApi()
            .Json("u?startAt=0&", Items(0, 2))   // asked 1000, capped at 2
            .Json("u?startAt=2&", Items(2, 1))
            .Json("u?startAt=3&", "[]");
        Assert.Equal(Range(0, 3), await Ids(new ArrayOffsetPager(1000), api, "u"));
        Assert.Equal(3, api.Requests.Count);
    }

    // ---- Token pages -----------------------------------------------------------------------------------

    [Fact]
    public async Task Token_pages_over_GET_pass_the_token_and_end_when_Jira_leaves_it_out()
    {
        var api = new FakeJiraApi()
            .Json("t?nextPageToken=A%2Fb", $$"""{"nextPageToken":"C","values":[]}""")   // an empty page in the middle
            .Json("t?nextPageToken=C", $$"""{"values":{{Items(2, 1)}}}""")
            .Json("t", $$"""{"nextPageToken":"A/b","values":{{Items(0, 2)}}}""");
        Assert.Equal(Range(0, 3), await Ids(new TokenPager("values"), api, "t"));
        Assert.Equal(["t", "t?nextPageToken=A%2Fb", "t?nextPageToken=C"], api.Requests);
    }

    [Fact]
    public async Task Token_pages_over_POST_build_each_body_and_stop_on_isLast()
    {
        var api = new FakeJiraApi().Dynamic("rest/api/2/search/jql", body => (string?)body!["nextPageToken"] switch
        {
            null => $$"""{"nextPageToken":"p2","isLast":false,"issues":{{Items(0, 2)}}}""",
            "p2" => $$"""{"nextPageToken":"p3","isLast":true,"issues":{{Items(2, 2)}}}""",   // isLast wins over a token
            _ => throw new InvalidOperationException("read past isLast"),
        });
        var pager = new TokenPager("issues")
        {
            Body = token => token is null ? new JsonObject { ["jql"] = "x" } : new JsonObject { ["jql"] = "x", ["nextPageToken"] = token },
        };
        var pages = new List<JiraPage>();
        await foreach (var p in pager.PagesAsync(api, "rest/api/2/search/jql", default)) pages.Add(p);
        Assert.Equal([2, 2], pages.Select(p => p.Items.Count));
        Assert.Equal([false, true], pages.Select(p => p.IsLast));
        Assert.Equal(["x", "x"], api.Bodies.Select(b => (string?)b["jql"]));
    }

    [Fact]
    public async Task A_repeated_token_fails_the_list_instead_of_looping()
    {
        // Jira hands back a token it gave before: reading on would repeat the same pages forever.
        var api = new FakeJiraApi()
            .Json("t?nextPageToken=B", $$"""{"nextPageToken":"A","values":{{Items(2, 2)}}}""")
            .Json("t?nextPageToken=A", $$"""{"nextPageToken":"B","values":{{Items(4, 2)}}}""")
            .Json("t", $$"""{"nextPageToken":"A","values":{{Items(0, 2)}}}""");
        var ex = await Assert.ThrowsAsync<JiraRequestException>(() => new TokenPager("values").ListAsync(api, "t"));
        Assert.Contains("t?nextPageToken=B answered a nextPageToken it had already given", ex.Message);
        Assert.Equal(3, api.Requests.Count);
    }

    // ---- Worklog feeds ---------------------------------------------------------------------------------

    [Fact]
    public async Task Worklog_feed_follows_nextPage_relative_to_the_base_url_until_lastPage()
    {
        var api = new FakeJiraApi()
            .Json("rest/api/2/worklog/updated?since=100", """
                {"since":100,"until":200,"lastPage":false,"nextPage":"https://jira.example.com/base/rest/api/2/worklog/updated?since=200",
                 "values":[{"worklogId":1,"updatedTime":150},{"worklogId":2,"updatedTime":200}]}
                """)
            .Json("rest/api/2/worklog/updated?since=200", """
                {"since":200,"until":300,"lastPage":true,"values":[{"worklogId":"3","updatedTime":300}]}
                """);
        var pages = new List<WorklogFeedPage>();
        await foreach (var p in new WorklogFeedPager(new Uri("https://jira.example.com/base/")).PagesAsync(api, "rest/api/2/worklog/updated", 100, default))
            pages.Add(p);
        Assert.Equal([["1", "2"], ["3"]], pages.Select(p => p.Entries.Select(e => e.Id!).ToArray()));
        Assert.Equal([200L, 300L], pages.Select(p => p.ResumeFrom));
        Assert.Equal([false, true], pages.Select(p => p.IsLast));
        Assert.All(pages, p => Assert.False(p.Stalled));
    }

    [Fact]
    public async Task Worklog_feed_stuck_on_one_millisecond_says_so_and_goes_on_one_millisecond_later()
    {
        // A full page of worklogs updated at 500: Jira's next page is the same request again.
        var api = new FakeJiraApi()
            .Json("rest/api/2/worklog/updated?since=500", """
                {"since":500,"until":500,"lastPage":false,"values":[{"worklogId":1,"updatedTime":500},{"worklogId":2,"updatedTime":500}]}
                """)
            .Json("rest/api/2/worklog/updated?since=501", """{"since":501,"until":501,"lastPage":true,"values":[]}""");
        var pages = new List<WorklogFeedPage>();
        await foreach (var p in new WorklogFeedPager(new Uri("https://j.example.com/")).PagesAsync(api, "rest/api/2/worklog/updated", 500, default))
            pages.Add(p);
        Assert.Equal(2, pages.Count);
        Assert.True(pages[0].Stalled);
        Assert.Equal(501, pages[0].ResumeFrom);
        Assert.Equal(["rest/api/2/worklog/updated?since=500", "rest/api/2/worklog/updated?since=501"], api.Requests);
    }

    [Fact]
    public async Task Worklog_feed_ends_on_an_empty_page_even_without_lastPage()
    {
        var api = new FakeJiraApi().Json("rest/api/2/worklog/deleted?since=7", """{"since":7,"values":[]}""");
        var pages = new List<WorklogFeedPage>();
        await foreach (var p in new WorklogFeedPager(new Uri("https://j.example.com/")).PagesAsync(api, "rest/api/2/worklog/deleted", 7, default))
            pages.Add(p);
        var only = Assert.Single(pages);
        Assert.True(only.IsLast);
        Assert.Equal(7, only.ResumeFrom);
    }

    // ---- Reading a page item by item (ItemPage.Read, what JiraClient does with a page's text) -----------------

    private static ItemPage ReadPage(string json, string key = "values") =>
        ItemPage.Read(new System.Buffers.ReadOnlySequence<byte>(System.Text.Encoding.UTF8.GetBytes(json)), key, "list");

    [Fact]
    public void A_page_read_item_by_item_keeps_every_item_and_every_other_property()
    {
        var page = ReadPage("""{"startAt":0,"values":[{"id":"1","f":{"a":[1,2]}},{"id":"2"}],"total":2,"isLast":true}""");
        Assert.Equal(["""{"id":"1","f":{"a":[1,2]}}""", """{"id":"2"}"""], page.Items.Select(i => i.GetRawText()).ToList());
        Assert.Equal("""{"startAt":0,"total":2,"isLast":true}""", page.Envelope.GetRawText());
    }

    [Fact]
    public void A_page_without_its_items_array_names_the_url()
    {
        Assert.Contains("no \"values\" array", Assert.Throws<JiraRequestException>(() => ReadPage("""{"values":null,"total":0}""")).Message);
        Assert.Contains("no \"values\" array", Assert.Throws<JiraRequestException>(() => ReadPage("""{"other":[]}""")).Message);
        Assert.Contains("no \"values\" array", Assert.Throws<JiraRequestException>(() => ReadPage("""[{"id":"1"}]""")).Message);
    }

    [Fact]
    public void A_page_cut_short_or_followed_by_more_text_is_malformed()
    {
        Assert.ThrowsAny<JsonException>(() => ReadPage("""{"values":[{"id":"1"},{"id":"""));
        Assert.ThrowsAny<JsonException>(() => ReadPage("""{"values":[]} {"values":[]}"""));
    }
}
