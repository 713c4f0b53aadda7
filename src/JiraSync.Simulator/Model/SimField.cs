namespace JiraSync.Simulator.Model;

/// <summary>Custom field kinds the simulator can put on issues, with the schema Jira reports for each
/// (plugin keys from the Cloud OpenAPI JsonTypeBean description).</summary>
public enum CustomFieldType { Number, Text, TextArea, Select, MultiSelect, Date, DateTime, User, Labels }

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
        _ => "any",
    };

    public string? SchemaItems => Type switch
    {
        CustomFieldType.MultiSelect => "option",
        CustomFieldType.Labels => "string",
        _ => null,
    };

    public string PluginKey => "com.atlassian.jira.plugin.system.customfieldtypes:" + Type switch
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
        _ => throw new ArgumentException($"unknown custom field type '{type}' (number, text, textarea, select, multiselect, date, datetime, user, labels)"),
    };
}
