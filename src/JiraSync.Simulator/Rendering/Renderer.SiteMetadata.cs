using System.Text.Json;
using JiraSync.Simulator.Model;

namespace JiraSync.Simulator.Rendering;

/// <summary>Items of the paginated metadata endpoints: statuses/search, priority/search, filter/search,
/// group/bulk, field contexts and their options.</summary>
public sealed partial class Renderer
{
    /// <summary>statuses/search item (OpenAPI JiraStatus): the category is a plain TODO/IN_PROGRESS/DONE string here,
    /// and scope says GLOBAL for company-managed statuses.</summary>
    public void JiraStatus(Utf8JsonWriter w, Status s)
    {
        w.WriteStartObject();
        w.WriteString("id", s.Id);
        w.WriteString("name", s.Name);
        w.WriteString("description", s.Description);
        w.WriteStartObject("scope"); w.WriteString("type", "GLOBAL"); w.WriteEndObject();
        w.WriteString("statusCategory", StatusSearchCategory(s.Category));
        w.WriteEndObject();
    }

    /// <summary>The statuses/search spelling of a category key (new → TODO, indeterminate → IN_PROGRESS, done → DONE).</summary>
    public static string StatusSearchCategory(StatusCategory c) => c.Key switch
    {
        "new" => "TODO",
        "indeterminate" => "IN_PROGRESS",
        "done" => "DONE",
        _ => "UNDEFINED",
    };

    /// <summary>priority/search item: the priority plus isDefault (Medium, as on a fresh site).</summary>
    /// <param name="w">Where the JSON object goes.</param>
    /// <param name="p">The priority.</param>
    public void PriorityWithDefault(Utf8JsonWriter w, Priority p) => WritePriority(w, p, withDefault: true);

    /// <summary>The filter/search `expand` values (OpenAPI getFiltersPaginated).</summary>
    public static readonly string[] FilterExpands =
        ["description", "owner", "jql", "searchUrl", "viewUrl", "favourite", "favouritedCount", "sharePermissions", "editPermissions", "isWritable", "subscriptions", "approximateLastUsed"];

    /// <summary>A filter (OpenAPI FilterDetails): expand, self, id and name always; the rest only when expanded,
    /// as filter/search does. <paramref name="expand"/> null means everything (filter/my, filter/favourite).</summary>
    public void Filter(Utf8JsonWriter w, SimFilter f, IReadOnlySet<string>? expand)
    {
        bool E(string name) => expand is null || expand.Contains(name);
        var jqlQuery = Uri.EscapeDataString(f.Jql);
        w.WriteStartObject();
        w.WriteString("expand", "description,owner,jql,searchUrl,viewUrl,favourite,favouritedCount,sharePermissions,editPermissions,isWritable,approximateLastUsed,subscriptions");
        w.WriteString("self", $"{Api}filter/{f.Id}");
        w.WriteString("id", f.Id.ToString());
        w.WriteString("name", f.Name);
        if (E("description") && f.Description is not null) w.WriteString("description", f.Description);
        if (E("owner")) { w.WritePropertyName("owner"); User(w, Store.UserAt(f.OwnerIndex), brief: true); }
        if (E("jql")) w.WriteString("jql", f.Jql);
        if (E("viewUrl")) w.WriteString("viewUrl", $"{BaseUrl}issues/?filter={f.Id}");
        if (E("searchUrl")) w.WriteString("searchUrl", $"{Api}search?jql={jqlQuery}");
        if (E("favourite")) w.WriteBoolean("favourite", f.Favourite);
        if (E("favouritedCount")) w.WriteNumber("favouritedCount", f.Favourite ? 1 + (int)(f.Id % 3) : 0);
        if (E("sharePermissions"))
        {
            w.WriteStartArray("sharePermissions");
            if (f.Share != "private") SharePermission(w, f);
            w.WriteEndArray();
        }
        if (E("editPermissions")) { w.WriteStartArray("editPermissions"); w.WriteEndArray(); }
        if (E("isWritable")) w.WriteBoolean("isWritable", f.OwnerIndex == 0);
        if (E("subscriptions")) { w.WriteStartArray("subscriptions"); w.WriteEndArray(); }
        if (E("approximateLastUsed") && Cloud) w.WriteNull("approximateLastUsed");
        w.WriteEndObject();
    }

    private void SharePermission(Utf8JsonWriter w, SimFilter f)
    {
        w.WriteStartObject();
        w.WriteNumber("id", 10000 + f.Id % 1000);
        w.WriteString("type", f.Share);
        if (f.Share == "project" && Store.FindProject(f.ShareTarget ?? "", includeHidden: true) is { } p)
        {
            w.WritePropertyName("project"); ProjectRef(w, p);
        }
        if (f.Share == "group" && f.ShareTarget is { } g)
        {
            w.WriteStartObject("group");
            w.WriteString("name", g);
            if (Cloud) w.WriteString("groupId", ReferenceData.GroupIds[Array.IndexOf(ReferenceData.Groups, g)]);
            w.WriteString("self", $"{Api}group?groupname={Uri.EscapeDataString(g)}");
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    /// <summary>group/bulk item (OpenAPI GroupDetails): {groupId, name}.</summary>
    public static void GroupDetails(Utf8JsonWriter w, int index)
    {
        w.WriteStartObject();
        w.WriteString("groupId", ReferenceData.GroupIds[index]);
        w.WriteString("name", ReferenceData.Groups[index]);
        w.WriteEndObject();
    }

    /// <summary>A custom field context (OpenAPI CustomFieldContext); every generated field has one global context.</summary>
    public static void FieldContext(Utf8JsonWriter w, SimField f)
    {
        w.WriteStartObject();
        w.WriteString("id", f.ContextId.ToString());
        w.WriteString("name", $"Default Configuration Scheme for {f.Name}");
        w.WriteString("description", "Default configuration scheme generated by Jira");
        w.WriteBoolean("isGlobalContext", true);
        w.WriteBoolean("isAnyIssueType", true);
        w.WriteEndObject();
    }

    /// <summary>A context option (OpenAPI CustomFieldContextOption): optionId only on cascading children.</summary>
    public static void FieldContextOption(Utf8JsonWriter w, FieldOption o)
    {
        w.WriteStartObject();
        w.WriteString("id", o.Id.ToString());
        w.WriteString("value", o.Value);
        w.WriteBoolean("disabled", o.Disabled);
        if (o.ParentId is { } parent) w.WriteString("optionId", parent.ToString());
        w.WriteEndObject();
    }
}
