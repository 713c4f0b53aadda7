using JiraSync.Config;

namespace JiraSync.Loading;

/// <summary>
/// Names a source's state in a destination (the _jirasync_state row, or the key in the jsonl state file), so
/// that several sources can load into one destination, each resuming from its own bookmarks (DESIGN.md,
/// "Beyond one machine": one sync per site or per project partition).
/// </summary>
public static class StateKeys
{
    /// <summary>The key of `jirasync target` (one Singer source per destination unless told otherwise).</summary>
    public const string Default = "default";

    /// <summary>A sync's key: the Jira site, plus its project partition when the config limits the projects.</summary>
    public static string For(JiraSyncConfig config)
    {
        var site = config.BaseUrl.GetLeftPart(UriPartial.Authority).ToLowerInvariant();
        return config.Projects.Count == 0 ? site : $"{site} projects={string.Join(",", config.Projects.Select(p => p.ToUpperInvariant()).Order(StringComparer.Ordinal))}";
    }
}
