using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace JiraSync.Jira.Paging;

/// <summary>
/// Cursor pages (jira-api-notes.md §1, §3.1, §4): each answer carries a <c>nextPageToken</c> for the next
/// one and leaves it out on the last ("not included in the response for the last page"), optionally saying
/// <c>isLast: true</c> too. GET lists take the token as a query parameter; POST lists (search/jql,
/// changelog/bulkfetch) take it in the body, built per request by <see cref="Body"/>.
/// A token Jira already gave in this list would read the same pages again forever, so it fails the list
/// with a <see cref="JiraRequestException"/> naming the URL: stopping quietly would end a sweep early and
/// lose what follows, while failing keeps the last committed bookmark and the next run retries.
/// </summary>
/// <param name="itemsKey">Where the items sit: "issues", "issueChangeLogs", "values".</param>
internal sealed class TokenPager(string itemsKey) : IJiraPager
{
    public string ItemsKey { get; } = itemsKey;

    /// <summary>For POST lists: the request body for a token (null on the first page). Null: GET.</summary>
    public Func<string?, JsonObject>? Body { get; init; }

    public async IAsyncEnumerable<JiraPage> PagesAsync(IJiraApi api, string path, [EnumeratorCancellation] CancellationToken ct)
    {
        string? token = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            JsonElement answer;
            List<JsonElement> items;
            string url;
            // Read item by item (IJiraApi.GetPageAsync): search pages hold up to MBs of issues.
            if (Body is { } body)
            {
                url = path;
                (items, answer) = await api.PostPageAsync(path, body(token), ItemsKey, ct);
            }
            else
            {
                url = token is null ? path : PageEnvelope.With(path, "nextPageToken=" + Uri.EscapeDataString(token));
                (items, answer) = await api.GetPageAsync(url, ItemsKey, ct);
            }
            token = PageEnvelope.String(answer, "nextPageToken");
            var last = token is null || PageEnvelope.Bool(answer, "isLast") == true;
            if (!last && !seen.Add(token!))
                throw new JiraRequestException(
                    $"{url} answered a nextPageToken it had already given in this list; stopped instead of reading the same pages again (retry the run; if it repeats, report it to Atlassian)", 200);
            if (items.Count > 0) yield return new JiraPage(items, answer, url, last);
            if (last) yield break;
        }
    }
}
