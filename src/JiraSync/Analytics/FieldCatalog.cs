namespace JiraSync.Analytics;

/// <summary>
/// The site's fields as the history needs them: each field id's current name (from Jira's field list, which the
/// tap writes as the issues table's column comments), and the reverse lookup for changelog items that carry no
/// <c>fieldId</c> (some Cloud items, Jira 8 Server; analytics-notes.md §3.2). Names are mutable and may repeat,
/// so history is keyed by id and the name is only a label.
/// </summary>
internal sealed class FieldCatalog
{
    /// <summary>System fields the history always covers, changed or not, with Jira's default names (used when the
    /// field list is unknown, e.g. a target fed by another tap).</summary>
    public static readonly IReadOnlyDictionary<string, string> TrackedSingle = new Dictionary<string, string>
    {
        ["status"] = "Status", ["assignee"] = "Assignee", ["priority"] = "Priority",
        ["issuetype"] = "Issue Type", ["resolution"] = "Resolution", ["project"] = "Project",
    };

    /// <summary>System fields holding several values that the history always covers.</summary>
    public static readonly IReadOnlyDictionary<string, string> TrackedMulti = new Dictionary<string, string>
    {
        ["labels"] = "Labels", ["components"] = "Component/s", ["fixVersions"] = "Fix Version/s",
    };

    /// <summary>System fields whose changelog items name one element added (from empty) or removed (to empty), never
    /// the whole set (analytics-notes.md §3.3; mattermost/mattermost-plugin-jira#395).</summary>
    public static readonly IReadOnlySet<string> PerElementFields = new HashSet<string>(StringComparer.Ordinal)
    {
        "components", "fixVersions", "versions", "attachment", "issuelinks",
    };

    /// <summary>Changelog item names of system fields (Jira's <c>field</c> text), for items without <c>fieldId</c>.</summary>
    private static readonly IReadOnlyDictionary<string, string> SystemItemNames = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["status"] = "status", ["assignee"] = "assignee", ["priority"] = "priority", ["resolution"] = "resolution",
        ["issuetype"] = "issuetype", ["project"] = "project", ["reporter"] = "reporter", ["summary"] = "summary",
        ["description"] = "description", ["labels"] = "labels", ["Component"] = "components", ["Fix Version"] = "fixVersions",
        ["Version"] = "versions", ["Attachment"] = "attachment", ["Link"] = "issuelinks", ["Key"] = "key",
        ["duedate"] = "duedate", ["environment"] = "environment", ["timeestimate"] = "timeestimate",
        ["timeoriginalestimate"] = "timeoriginalestimate", ["timespent"] = "timespent", ["resolutiondate"] = "resolutiondate",
    };

    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?> _idsByName = new(StringComparer.Ordinal);

    /// <param name="names">field id → current name (custom fields and system fields alike).</param>
    public FieldCatalog(IEnumerable<KeyValuePair<string, string>> names)
    {
        foreach (var (id, name) in names)
        {
            _names[id] = name;
            // A name held by two fields resolves to neither.
            _idsByName[name] = _idsByName.TryGetValue(name, out var other) && other != id ? null : id;
            if (id.StartsWith("customfield_", StringComparison.Ordinal) && name == "Sprint") SprintFieldId ??= id;
        }
    }

    /// <summary>The Sprint custom field (<c>com.pyxis.greenhopper.jira:gh-sprint</c>); its id varies per site.
    /// Null until the field list or a changelog item names it.</summary>
    public string? SprintFieldId { get; private set; }

    /// <summary>Current names by field id.</summary>
    public IReadOnlyDictionary<string, string> Names => _names;

    /// <summary>The field id of a changelog item: its <c>fieldId</c>, else the id its name resolves to, else the name
    /// itself (so the history is still kept, under the name).</summary>
    public string IdOf(ChangeItem item)
    {
        if (item.FieldId is { } id)
        {
            if (item.Field == "Sprint" && item.FieldType == "custom") SprintFieldId ??= id;
            return id;
        }
        var name = item.Field ?? "";
        if (name == "Sprint" && SprintFieldId is { } sprint) return sprint;
        if (item.FieldType != "custom" && SystemItemNames.TryGetValue(name, out var system)) return system;
        return _idsByName.TryGetValue(name, out var byName) && byName is not null ? byName : name;
    }

    /// <summary>The current name of a field: from the field list, else Jira's default name of a tracked system field
    /// (their items carry ids such as "status" as names), else the newest name a changelog item gave it, else the id.</summary>
    public string NameOf(string fieldId, string? latestItemName) =>
        _names.TryGetValue(fieldId, out var n) ? n
        : TrackedSingle.TryGetValue(fieldId, out var s) ? s : TrackedMulti.TryGetValue(fieldId, out var m) ? m : latestItemName ?? fieldId;
}
