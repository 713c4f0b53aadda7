namespace JiraSync.Jira;

/// <summary>
/// Marks the requests of the current async flow as bulk reads: large pages (issue/bulkfetch, worklog/list) that
/// nothing else waits on but their own emission. The client's gate grants them a slot only when no other request
/// is waiting, so the short requests that start other chains (a feed's next page of ids, a metadata list, the
/// children of an emitted page) are not queued behind a second's worth of bulk pages, while the bulk pages still
/// fill every slot those leave free. Set inside the async method that sends the request: the mark ends with it.
/// </summary>
internal static class RequestPriority
{
    private static readonly AsyncLocal<bool> Bulk = new();

    /// <summary>True when the current flow's requests are bulk reads.</summary>
    internal static bool IsBulk => Bulk.Value;

    /// <summary>Marks the rest of the calling async method's requests (and the flows it starts) as bulk reads.</summary>
    internal static void MarkBulk() => Bulk.Value = true;
}
