namespace JiraSync.Loading;

/// <summary>
/// Names a source's state in a destination (the _jirasync_state row, or the key in the jsonl state file), so
/// that several sources can load into one destination, each resuming from its own bookmarks (DESIGN.md,
/// "Beyond one machine": one sync per site or per project partition; `sync` names its state with
/// <c>SyncJob.StateKeyFor</c>).
/// </summary>
internal static class StateKeys
{
    /// <summary>The key of `jirasync target` (one Singer source per destination unless told otherwise).</summary>
    public const string Default = "default";
}
