using System.Text.Json.Nodes;
using JiraSync.Logging;

namespace JiraSync.Streams;

/// <summary>The record filters streams declare (<see cref="StreamDefinition.Filter"/>).</summary>
internal static class RecordFilters
{
    /// <summary>Projects limited to the config's "projects" keys (all when none is set); a configured key no
    /// visible project has is named in one warning line.</summary>
    public static IReadOnlyList<JsonObject> ConfiguredProjects(TapContext ctx, IReadOnlyList<JsonObject> projects)
    {
        if (ctx.Config.Projects.Count == 0) return projects;
        var wanted = new HashSet<string>(ctx.Config.Projects, StringComparer.OrdinalIgnoreCase);
        var kept = projects.Where(p => (string?)p["key"] is { } key && wanted.Contains(key)).ToList();
        var found = kept.Select(p => (string)p["key"]!).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var missing in ctx.Config.Projects.Where(w => !found.Contains(w)))
            ctx.Log.Warn($"project '{missing}' from the config is not visible to this user; skipped");
        return kept;
    }

    /// <summary>Boards of the configured projects (location.projectKey; all when none is set). A board without a
    /// location (Server/DC lists none; a board on a filter over several projects) is kept: nothing says it is outside.</summary>
    public static IReadOnlyList<JsonObject> BoardsOfConfiguredProjects(TapContext ctx, IReadOnlyList<JsonObject> boards)
    {
        if (ctx.Config.Projects.Count == 0) return boards;
        var wanted = new HashSet<string>(ctx.Config.Projects, StringComparer.OrdinalIgnoreCase);
        return boards.Where(b => (string?)b["location"]?["projectKey"] is not { } key || wanted.Contains(key)).ToList();
    }

    /// <summary>Custom field plugin keys whose fields have options (select, multi-select, cascading, radio,
    /// checkboxes; jira-api-notes.md §14.1).</summary>
    private static readonly string[] OptionTypes =
        [":select", ":multiselect", ":cascadingselect", ":radiobuttons", ":multicheckboxes"];

    /// <summary>A field with options: the parents whose contexts and options are read.</summary>
    public static bool HasOptions(JsonObject field) =>
        (string?)field["schema"]?["custom"] is { } custom && OptionTypes.Any(t => custom.EndsWith(t, StringComparison.Ordinal));
}
