using System.Globalization;
using JiraSync.Simulator.Model;
using JiraSync.Simulator.Rendering;

namespace JiraSync.Simulator.Control;

/// <summary>Scenarios whose change history is known exactly, for analytics tests (issue 9). Each change is one
/// changelog history by the caller at the clock's now; the clock never moves by itself, so two calls without
/// <see cref="AdvanceClock"/> between them give two histories in the same millisecond (ordered by history id).</summary>
public sealed partial class SimulatorControl
{
    /// <summary>Creates an issue created and updated now in <paramref name="statusName"/> (any status, not only the
    /// workflow's first: creation is not journaled, analytics-notes §3 item 7) with no changelog, no sprint, and every
    /// number custom field empty. Returns its id.</summary>
    public string AddIssueWithKnownHistory(string projectKey, string statusName = "To Do") => _store.Write(s =>
    {
        var project = s.FindProject(projectKey) ?? throw new KeyNotFoundException($"No project could be found with key '{projectKey}'.");
        var status = StatusIndex(statusName);
        var issue = DataGenerator.CreateIssue(s, project, new Random(TextGenerator.Mix(s.Options.Seed, s.NextIssueId)), s.NowMs, s.NowMs, heavy: false);
        issue.Histories.Clear();
        issue.StatusIndex = status;
        var done = ReferenceData.Statuses[status].Category.Key == "done";
        issue.ResolutionIndex = done ? 0 : -1;
        issue.ResolutionMs = done ? s.NowMs : null;
        foreach (var f in s.CustomFields.Where(f => f.Type == CustomFieldType.Number)) issue.NumberOverrides[f.Id] = null;
        foreach (var w in issue.Worklogs) w.UpdatedMs = s.NowMs;
        foreach (var c in issue.Comments) c.UpdatedMs = s.NowMs;
        return issue.Id.ToString();
    });

    /// <summary>Moves an issue to a named status (round trips allowed). Entering or leaving the done category also
    /// records a `resolution` item, as Jira's default workflows set and clear the resolution.</summary>
    public void TransitionIssue(string idOrKey, string statusName) => _store.Write(s =>
    {
        var issue = Issue(s, idOrKey);
        var to = StatusIndex(statusName);
        var from = issue.StatusIndex;
        if (to == from) throw new ArgumentException($"issue {issue.Key} is already in '{statusName}'");
        var items = new List<SimChangeItem> { StatusChange(from, to) };
        var wasDone = ReferenceData.Statuses[from].Category.Key == "done";
        var isDone = ReferenceData.Statuses[to].Category.Key == "done";
        var done = ReferenceData.Resolutions[0];
        if (isDone && !wasDone) { items.Add(new SimChangeItem("resolution", "jira", "resolution", null, null, done.Id, done.Name)); issue.ResolutionIndex = 0; issue.ResolutionMs = s.NowMs; }
        if (wasDone && !isDone)
        {
            var old = ReferenceData.Resolutions[Math.Max(0, issue.ResolutionIndex)];
            items.Add(new SimChangeItem("resolution", "jira", "resolution", old.Id, old.Name, null, null));
            issue.ResolutionIndex = -1; issue.ResolutionMs = null;
        }
        issue.StatusIndex = to;
        Record(s, issue, [.. items]);
        return 0;
    });

    /// <summary>Renames a custom field: `field` shows the new name; histories written before keep the old name in
    /// their items' `field` (the name at the time of the change, analytics-notes §3 item 2). Not journaled on issues.</summary>
    public void RenameCustomField(string fieldId, string newName) => _store.Write(s =>
    {
        var index = s.CustomFields.FindIndex(f => f.Id == fieldId);
        if (index < 0) throw new KeyNotFoundException($"Custom field '{fieldId}' does not exist.");
        var renamed = s.CustomFields[index] with { Name = newName };
        s.CustomFields[index] = renamed;
        if (s.SprintField?.Id == fieldId) s.SprintField = renamed;
        return 0;
    });

    /// <summary>Sets a number custom field (null empties it), journaled like Jira journals number fields: empty id
    /// sides, the values in fromString/toString (analytics-notes §3 item 3).</summary>
    public void SetNumberField(string idOrKey, string fieldId, double? value) => _store.Write(s =>
    {
        var issue = Issue(s, idOrKey);
        var field = s.CustomFields.FirstOrDefault(f => f.Id == fieldId && f.Type == CustomFieldType.Number)
                    ?? throw new KeyNotFoundException($"Number custom field '{fieldId}' does not exist.");
        var before = Renderer.NumberValue(issue, field);
        issue.NumberOverrides[field.Id] = value;
        Record(s, issue, new SimChangeItem(field.Name, "custom", field.Id, null, Text(before), null, Text(value)));
        return 0;
    });

    /// <summary>Moves an issue to another project: same id, a new key (the old one keeps resolving), and `project` and
    /// `Key` items (analytics-notes §3 item 10). Components and fix versions of the old project are dropped, each
    /// with its own item. Returns the new key.</summary>
    public string MoveIssue(string idOrKey, string projectKey) => _store.Write(s =>
    {
        var issue = Issue(s, idOrKey);
        var target = s.FindProject(projectKey) ?? throw new KeyNotFoundException($"No project could be found with key '{projectKey}'.");
        if (target == issue.Project) throw new ArgumentException($"issue {issue.Key} is already in project {target.Key}");
        var old = issue.Project;
        var oldKey = issue.Key;
        var items = new List<SimChangeItem>
        {
            new("project", "jira", "project", old.Id.ToString(), old.Name, target.Id.ToString(), target.Name),
            new("Key", "jira", "issuekey", null, oldKey, null, $"{target.Key}-{target.NextIssueNumber}"),
        };
        if (issue.ComponentId is { } cid && old.Components.FirstOrDefault(c => c.Id == cid) is { } comp)
            items.Add(new("Component", "jira", "components", comp.Id.ToString(), comp.Name, null, null));
        if (issue.FixVersionId is { } vid && old.Versions.FirstOrDefault(v => v.Id == vid) is { } ver)
            items.Add(new("Fix Version", "jira", "fixVersions", ver.Id.ToString(), ver.Name, null, null));
        issue.ComponentId = null;
        issue.FixVersionId = null;
        issue.Project = target;
        issue.Key = $"{target.Key}-{target.NextIssueNumber++}";
        s.IssuesByKey[issue.Key] = issue;   // the old key stays mapped too
        Record(s, issue, [.. items]);
        return issue.Key;
    });

    private static string? Text(double? v) => v?.ToString(CultureInfo.InvariantCulture);

    private static SimChangeItem StatusChange(int from, int to) =>
        new("status", "jira", "status", ReferenceData.Statuses[from].Id, ReferenceData.Statuses[from].Name,
            ReferenceData.Statuses[to].Id, ReferenceData.Statuses[to].Name);

    private static int StatusIndex(string nameOrId)
    {
        var i = Array.FindIndex(ReferenceData.Statuses, x => x.Name.Equals(nameOrId, StringComparison.OrdinalIgnoreCase) || x.Id == nameOrId);
        return i >= 0 ? i : throw new ArgumentException($"unknown status '{nameOrId}' ({string.Join(", ", ReferenceData.Statuses.Select(x => x.Name))})");
    }
}
