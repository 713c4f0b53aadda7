namespace JiraSync.Simulator.Model;

/// <summary>Custom field kinds the simulator can put on issues, with the schema Jira reports for each
/// (plugin keys from the Cloud OpenAPI JsonTypeBean description).</summary>
public enum CustomFieldType
{
    Number, Text, TextArea, Select, MultiSelect, Date, DateTime, User, Labels,
    /// <summary>Select list (cascading): a parent option with an optional child option.</summary>
    Cascading,
    /// <summary>Jira Software's Sprint field (com.pyxis.greenhopper.jira:gh-sprint); the generator adds exactly one.</summary>
    Sprint,
}

public sealed record SimField(string Id, long NumericId, string Name, CustomFieldType Type)
{
    public string SchemaType => Type switch
    {
        CustomFieldType.Number => "number",
        CustomFieldType.Text or CustomFieldType.TextArea => "string",
        CustomFieldType.Select => "option",
        CustomFieldType.MultiSelect or CustomFieldType.Labels => "array",
        CustomFieldType.Date => "date",
        CustomFieldType.DateTime => "datetime",
        CustomFieldType.User => "user",
        CustomFieldType.Cascading => "option-with-child",
        CustomFieldType.Sprint => "array",
        _ => "any",
    };

    public string? SchemaItems => Type switch
    {
        CustomFieldType.MultiSelect => "option",
        CustomFieldType.Labels => "string",
        CustomFieldType.Sprint => "json",
        _ => null,
    };

    /// <summary>schema.custom; the Sprint field's key comes from Jira Software (jira-api-notes §14.3).</summary>
    public string PluginKey => Type == CustomFieldType.Sprint ? "com.pyxis.greenhopper.jira:gh-sprint" : "com.atlassian.jira.plugin.system.customfieldtypes:" + Type switch
    {
        CustomFieldType.Number => "float",
        CustomFieldType.Text => "textfield",
        CustomFieldType.TextArea => "textarea",
        CustomFieldType.Select => "select",
        CustomFieldType.MultiSelect => "multiselect",
        CustomFieldType.Date => "datepicker",
        CustomFieldType.DateTime => "datetime",
        CustomFieldType.User => "userpicker",
        CustomFieldType.Labels => "labels",
        CustomFieldType.Cascading => "cascadingselect",
        _ => "textfield",
    };

    public static CustomFieldType ParseType(string type) => type.ToLowerInvariant() switch
    {
        "number" or "float" => CustomFieldType.Number,
        "text" or "string" or "textfield" => CustomFieldType.Text,
        "textarea" => CustomFieldType.TextArea,
        "select" or "option" => CustomFieldType.Select,
        "multiselect" => CustomFieldType.MultiSelect,
        "date" or "datepicker" => CustomFieldType.Date,
        "datetime" => CustomFieldType.DateTime,
        "user" or "userpicker" => CustomFieldType.User,
        "labels" => CustomFieldType.Labels,
        "cascading" or "cascadingselect" => CustomFieldType.Cascading,
        _ => throw new ArgumentException($"unknown custom field type '{type}' (number, text, textarea, select, multiselect, cascading, date, datetime, user, labels)"),
    };

    /// <summary>Whether the field has options (select, multi-select, cascading): only those answer
    /// field/{id}/context/{contextId}/option; others get 400 (OpenAPI getOptionsForContext).</summary>
    public bool HasOptions => Type is CustomFieldType.Select or CustomFieldType.MultiSelect or CustomFieldType.Cascading;

    /// <summary>The one (global, all issue types) context every generated field has. Assumed id scheme.</summary>
    public long ContextId => 10100 + NumericId;

    private static readonly string[] OptionValues = ["Production", "Staging", "Développement", "QA 🧪", "Linux", "macOS", "Windows", "iOS"];
    private static readonly string[] Regions = ["Europe", "Americas", "Asia-Pacific"];
    private static readonly string[][] Cities = [["Zürich", "Lisboa"], ["São Paulo", "Toronto"], ["東京"]];

    /// <summary>Option k of a select or multi-select field: id NumericId*100+k.</summary>
    public FieldOption Option(int k) => new(NumericId * 100 + k, OptionValues[k % OptionValues.Length], k == OptionValues.Length - 1, null);

    public FieldOption CascadeParent(int k) => new(NumericId * 100 + k, Regions[k], false, null);

    public FieldOption CascadeChild(int parent, int j) => new(NumericId * 100 + 10 + parent * 10 + j, Cities[parent][j], false, NumericId * 100 + parent);

    public int CascadeChildren(int parent) => Cities[parent].Length;

    /// <summary>Every option of the field's context: options first, then cascading ones, as the spec orders them.
    /// The last plain option is disabled (kept on old issues, not offered for new ones).</summary>
    public IReadOnlyList<FieldOption> Options()
    {
        if (Type is CustomFieldType.Select or CustomFieldType.MultiSelect)
            return [.. Enumerable.Range(0, OptionValues.Length).Select(Option)];
        if (Type != CustomFieldType.Cascading) return [];
        var parents = Enumerable.Range(0, Regions.Length).Select(CascadeParent);
        var children = Enumerable.Range(0, Regions.Length).SelectMany(p => Enumerable.Range(0, Cities[p].Length).Select(j => CascadeChild(p, j)));
        return [.. parents, .. children];
    }
}

/// <summary>A custom field option (OpenAPI CustomFieldContextOption); ParentId is set on cascading children.</summary>
public sealed record FieldOption(long Id, string Value, bool Disabled, long? ParentId);
