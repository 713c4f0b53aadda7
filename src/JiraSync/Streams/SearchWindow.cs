using JiraSync.Jira.Paging;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using JiraSync.Jira;
using JiraSync.Singer;

namespace JiraSync.Streams;

/// <summary>
/// Data Center's search window: a legacy search page whose position plus page size passes the search platform's
/// max_result_window (default 10,000) answers 500 "Search limit exceeded … exceeded the search platform limit of
/// 10,000" (Atlassian KB "Handling JQL REST API searching exceeding max_result_window in Jira",
/// support.atlassian.com/jira/kb/handling-jql-rest-api-searching-exceeding-max_result_window-in-jira; the KB's advice is
/// to narrow the JQL). So a query is read in slices that each stay inside the window:
/// <list type="bullet">
/// <item>ordered by id: the next slice adds <c>id &gt; last</c>;</item>
/// <item>ordered by updated: the next slice adds <c>updated &gt;= "minute of the last issue"</c> (JQL literals have minute
/// precision, so that minute is read again and its issues already read are dropped); a minute holding more issues than
/// the window is read on its own, ordered by id, and the sweep goes on from the next minute.</item>
/// </list>
/// The size starts at 10,000 and is lowered when Jira states a smaller limit (an admin may configure one).
/// </summary>
internal sealed partial class SearchWindow
{
    internal const int DefaultSize = 10_000;

    /// <summary>Results one query may reach (a page's position plus its page size); read by <see cref="WindowedOffsetRead"/>.</summary>
    public int Size { get; private set; } = DefaultSize;

    /// <summary>Takes the limit a "Search limit exceeded" answer states; true when the window is now smaller (so
    /// slicing can go on), false when the answer says nothing new.</summary>
    /// <param name="error">The refusal.</param>
    /// <param name="reached">Results the query had read when refused: the window's size when the answer states none.</param>
    public bool Learn(JiraLimitExceededException error, int reached)
    {
        var match = StatedLimit().Match(error.Message);
        var stated = match.Success && int.TryParse(match.Groups[1].Value.Replace(",", "").Replace(".", "").Replace(" ", ""),
            NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : reached;
        lock (this)
        {
            if (stated <= 0 || stated >= Size) return false;
            Size = stated;
            return true;
        }
    }

    [GeneratedRegex(@"limit of ([\d][\d,. ]*)")]
    private static partial Regex StatedLimit();

    /// <summary>A query split into its filter (clauses joined by AND) and its single ascending sort key
    /// ("updated" or "id"); null when the query has another shape, which is then read without slicing.</summary>
    internal sealed record Query(string Filter, string OrderKey)
    {
        private const string OrderBy = " ORDER BY ";

        public static Query? Parse(string jql)
        {
            var at = jql.LastIndexOf(OrderBy, StringComparison.OrdinalIgnoreCase);
            if (at < 0) return null;
            var order = jql[(at + OrderBy.Length)..].Trim();
            var key = order.Equals("updated ASC", StringComparison.OrdinalIgnoreCase) ? "updated"
                : order.Equals("id ASC", StringComparison.OrdinalIgnoreCase) ? "id" : null;
            if (key is null || jql.Contains(" OR ", StringComparison.OrdinalIgnoreCase)) return null;
            return new Query(jql[..at].Trim(), key);
        }

        public string Jql => $"{Filter} ORDER BY {OrderKey} ASC";

        public Query And(string clause) => this with { Filter = Filter.Length == 0 ? clause : $"{Filter} AND {clause}" };
    }

    /// <summary>Where one slice stands: the query, and for updated order the minute it starts at (to notice a
    /// minute that alone fills the window).</summary>
    internal sealed record Slice(Query Query, string? StartMinute = null, string? MinuteEnd = null);

    /// <summary>The slice after <paramref name="current"/>, whose window filled with <paramref name="last"/> as its last
    /// issue. <paramref name="original"/> is the unsliced query; <paramref name="zone"/> the user's zone for literals.</summary>
    internal static Slice Next(Query original, Slice current, JsonElement last, TimeZoneInfo? zone)
    {
        var id = Id(last);
        if (current.Query.OrderKey == "id")
            return current with { Query = Without(current.Query, "id >").And($"id > {id}") };
        var updated = Updated(last)
                      ?? throw PageEnvelope.Unexpected("rest/api/2/search", "an issue without fields.updated in a search ordered by updated");
        var minute = JqlTime.Literal(updated, zone, 0);
        if (minute != current.StartMinute)
            return new Slice(original.And($"updated >= \"{minute}\""), minute);
        // One minute holds more issues than the window: read it alone, by id, then go on after it.
        var end = JqlTime.UpperLiteral(updated, zone);
        return new Slice(new Query(original.Filter, "id").And($"updated >= \"{minute}\"").And($"updated < \"{end}\"").And($"id > {id}"), minute, end);
    }

    /// <summary>After a minute read by id is exhausted: the original query from the next minute on.</summary>
    internal static Slice AfterMinute(Query original, Slice minuteSlice) =>
        new(original.And($"updated >= \"{minuteSlice.MinuteEnd}\""), minuteSlice.MinuteEnd);

    private static Query Without(Query q, string clausePrefix)
    {
        var parts = q.Filter.Split(" AND ").Where(p => !p.StartsWith(clausePrefix, StringComparison.Ordinal));
        return q with { Filter = string.Join(" AND ", parts) };
    }

    internal static string Id(JsonElement issue) =>
        issue.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString()!
        : throw PageEnvelope.Unexpected("rest/api/2/search", "an issue without a string \"id\"");

    private static DateTimeOffset? Updated(JsonElement issue) =>
        issue.TryGetProperty("fields", out var f) && f.ValueKind == JsonValueKind.Object && f.TryGetProperty("updated", out var u)
        && u.ValueKind == JsonValueKind.String && SingerTime.TryParse(u.GetString(), out var at) ? at : null;
}
