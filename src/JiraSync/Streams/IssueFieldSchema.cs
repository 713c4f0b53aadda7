using System.Text.Json.Nodes;
using JiraSync.Singer;

namespace JiraSync.Streams;

/// <summary>
/// Declares the issues stream's "fields" properties from Jira's field list, so a loader can give each field,
/// custom ones included, a typed column (the object carries <see cref="SchemaHints.Flatten"/>). The field's
/// display name becomes the property's description. Properties the embedded schema already declares keep their
/// definition; keys Jira does not list stay allowed through the object's patternProperties.
/// </summary>
internal static class IssueFieldSchema
{
    public const string FieldsProperty = "fields";

    /// <summary>JsonTypeBean "type" values whose issue value is a JSON object. Built from the system field list
    /// (jira-platform-openapi.json FieldDetails examples) and the custom field types Jira ships (option, user,
    /// group, version, …). Anything not named here, and "any", is declared without a type: it may hold anything.</summary>
    private static readonly HashSet<string> ObjectTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        "option", "option-with-child", "option2", "user", "group", "issuetype", "project", "status", "priority",
        "resolution", "securitylevel", "votes", "watches", "progress", "timetracking", "comments-page", "component",
        "version", "issuerestriction",
    };

    /// <summary>Fields left undeclared (they stay in the fields JSON): comment and worklog are embedded pages capped
    /// at 20 entries (jira-api-notes.md §3), so a column would look complete and not be; the issue_comments and
    /// worklogs streams are the complete tables. They are also the largest values an issue carries.</summary>
    private static readonly HashSet<string> NotDeclared = new(StringComparer.Ordinal) { "comment", "worklog" };

    /// <summary>A stream's schema for this run: the embedded one, and for issues the site's fields added
    /// when the field list is known (null: Jira was not asked, or would not say).</summary>
    public static JsonObject SchemaOf(StreamDefinition def, IReadOnlyList<JiraField>? fields)
    {
        var schema = SchemaStore.Get(def);
        if (fields != null && def.Name == "issues") Apply(schema, fields);
        return schema;
    }

    /// <summary>Adds the field list to the issues schema (changed in place).</summary>
    public static void Apply(JsonObject issuesSchema, IEnumerable<JiraField> fields)
    {
        if (issuesSchema["properties"]?[FieldsProperty] is not JsonObject fieldsSchema) return;
        fieldsSchema[SchemaHints.Flatten] = true;
        if (fieldsSchema["properties"] is not JsonObject props) fieldsSchema["properties"] = props = new JsonObject();
        foreach (var field in fields)
        {
            if (NotDeclared.Contains(field.Id)) continue;
            if (props[field.Id] is JsonObject declared)
            {
                declared["description"] ??= field.Name; // the embedded definition stays; it only gains the name
                continue;
            }
            props[field.Id] = PropertyFor(field);
        }
    }

    /// <summary>The JSON Schema of one field's value, from its JsonTypeBean.</summary>
    public static JsonObject PropertyFor(JiraField field)
    {
        var schema = ValueSchema(field.Type, field.Items);
        schema["description"] = field.Name;
        return schema;
    }

    private static JsonObject ValueSchema(string? type, string? items)
    {
        switch (type?.ToLowerInvariant())
        {
            case "string": return Typed("string");
            case "number": return Typed("number");
            case "integer": return Typed("integer");
            case "boolean": return Typed("boolean");
            case "date": return Typed("string", "date");
            case "datetime": return Typed("string", "date-time");
            case "array":
                // "array" can still arrive as an object: fields.worklog is declared array of worklog but an issue
                // carries one page of worklogs and their total (jira-api-notes.md §3).
                var array = new JsonObject { ["type"] = new JsonArray("null", "array", "object") };
                if (ScalarItems(items) is { } itemSchema) array["items"] = itemSchema;
                return array;
            case { } t when ObjectTypes.Contains(t): return Typed("object");
            default: return new JsonObject(); // "any", an app's own type, or no schema at all
        }
    }

    /// <summary>Item schemas only for scalar item types; object items ("json", "option", …) are left open.</summary>
    private static JsonObject? ScalarItems(string? items) => items?.ToLowerInvariant() switch
    {
        "string" => Typed("string"),
        "number" => Typed("number"),
        "date" => Typed("string", "date"),
        "datetime" => Typed("string", "date-time"),
        _ => null,
    };

    private static JsonObject Typed(string type, string? format = null)
    {
        var o = new JsonObject { ["type"] = new JsonArray("null", type) };
        if (format != null) o["format"] = format;
        return o;
    }
}
