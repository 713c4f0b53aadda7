using System.Text.Json;
using JiraSync.Simulator.Model;

namespace JiraSync.Simulator.Rendering;

public sealed partial class Renderer
{
    public void ServerInfo(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("baseUrl", BaseUrl.TrimEnd('/'));
        w.WriteString("version", Cloud ? "1001.0.0-SNAPSHOT" : "9.12.15");
        w.WriteStartArray("versionNumbers");
        foreach (var n in Cloud ? new[] { 1001, 0, 0 } : [9, 12, 15]) w.WriteNumberValue(n);
        w.WriteEndArray();
        w.WriteString("deploymentType", Cloud ? "Cloud" : "Server");
        w.WriteNumber("buildNumber", Cloud ? 100282 : 9120015);
        w.WriteString("buildDate", "2026-10-20T00:00:00.000+0000");
        w.WriteString("serverTime", Time.Format(Store.NowMs));
        w.WriteString("scmInfo", "1f51473f5c7b75c1a69a0090f4832cdc5053702a");
        w.WriteString("serverTitle", "JiraSync Simulator");
        w.WriteString("serverTimeZone", Store.Options.TimeZone);
        w.WriteStartObject("defaultLocale"); w.WriteString("locale", "en_US"); w.WriteEndObject();
        w.WriteEndObject();
    }

    public void ProjectRef(Utf8JsonWriter w, SimProject p) =>
        Fragment(w, "project-ref", p.Id, inner => WriteProjectRef(inner, p));

    private void WriteProjectRef(Utf8JsonWriter w, SimProject p)
    {
        w.WriteStartObject();
        w.WriteString("self", $"{Api}project/{p.Id}");
        w.WriteString("id", p.Id.ToString());
        w.WriteString("key", p.Key);
        w.WriteString("name", p.Name);
        w.WriteString("projectTypeKey", p.TypeKey);
        w.WriteBoolean("simplified", false);
        AvatarUrls(w, "project", 10400 + p.Id % 100);
        w.WriteEndObject();
    }

    /// <summary>A project as project/search and project list return it (with the expand=lead/description/... extras
    /// always included, like tap-jira requests them).</summary>
    public void Project(Utf8JsonWriter w, SimProject p)
    {
        w.WriteStartObject();
        w.WriteString("expand", "description,lead,issueTypes,url,projectKeys,permissions,insight");
        w.WriteString("self", $"{Api}project/{p.Id}");
        w.WriteString("id", p.Id.ToString());
        w.WriteString("key", p.Key);
        w.WriteString("description", p.Description);
        w.WritePropertyName("lead"); User(w, Store.UserAt(p.LeadIndex), brief: true);
        w.WriteStartArray("issueTypes");
        foreach (var t in ReferenceData.IssueTypes) IssueType(w, t);
        w.WriteEndArray();
        w.WriteString("name", p.Name);
        AvatarUrls(w, "project", 10400 + p.Id % 100);
        w.WriteStartArray("projectKeys"); w.WriteStringValue(p.Key); w.WriteEndArray();
        if (p.CategoryId is { } cat)
        {
            w.WritePropertyName("projectCategory");
            ProjectCategory(w, ReferenceData.ProjectCategories.First(c => c.Id == cat));
        }
        w.WriteString("projectTypeKey", p.TypeKey);
        w.WriteBoolean("simplified", false);
        w.WriteString("style", "classic");
        w.WriteBoolean("isPrivate", false);
        w.WriteStartObject("properties"); w.WriteEndObject();
        // Archived and trashed projects carry these (OpenAPI `Project`); live ones leave them out.
        if (p.Status == ProjectStatus.Archived)
        {
            w.WriteBoolean("archived", true);
            w.WriteString("archivedDate", Store.Time.Format(p.StatusChangedMs ?? Store.NowMs));
        }
        else if (p.Status == ProjectStatus.Deleted)
        {
            w.WriteBoolean("deleted", true);
            w.WriteString("deletedDate", Store.Time.Format(p.StatusChangedMs ?? Store.NowMs));
            w.WriteString("retentionTillDate", Store.Time.Format((p.StatusChangedMs ?? Store.NowMs) + 60L * 24 * 3600 * 1000));
        }
        w.WriteEndObject();
    }

    public void Version(Utf8JsonWriter w, SimVersion v)
    {
        w.WriteStartObject();
        w.WriteString("self", $"{Api}version/{v.Id}");
        w.WriteString("id", v.Id.ToString());
        if (v.Description is not null) w.WriteString("description", v.Description);
        w.WriteString("name", v.Name);
        w.WriteBoolean("archived", v.Archived);
        w.WriteBoolean("released", v.Released);
        if (v.StartMs is { } s)
        {
            w.WriteString("startDate", Time.FormatDate(s));
            w.WriteString("userStartDate", Time.FormatUserDate(s));
        }
        if (v.ReleaseMs is { } r)
        {
            w.WriteString("releaseDate", Time.FormatDate(r));
            w.WriteBoolean("overdue", !v.Released && r < Store.NowMs);
            w.WriteString("userReleaseDate", Time.FormatUserDate(r));
        }
        w.WriteNumber("projectId", v.ProjectId);
        w.WriteEndObject();
    }

    /// <summary>ComponentWithIssueCount, the paginated component endpoint's item shape; real Cloud responses
    /// (airbyte's captured project_components.json) also nest the plain component as `componentBean`.</summary>
    public void Component(Utf8JsonWriter w, SimComponent c, SimProject p, int issueCount)
    {
        w.WriteStartObject();
        w.WritePropertyName("componentBean");
        w.WriteStartObject();
        ComponentProperties(w, c, p);
        w.WriteEndObject();
        ComponentProperties(w, c, p);
        w.WriteNumber("issueCount", issueCount);
        w.WriteEndObject();
    }

    private void ComponentProperties(Utf8JsonWriter w, SimComponent c, SimProject p)
    {
        w.WriteString("self", $"{Api}component/{c.Id}");
        w.WriteString("id", c.Id.ToString());
        w.WriteString("name", c.Name);
        if (c.Description is not null) w.WriteString("description", c.Description);
        var leadOrProjectLead = c.LeadIndex ?? p.LeadIndex;
        if (c.LeadIndex is { } lead) { w.WritePropertyName("lead"); User(w, Store.UserAt(lead), brief: true); }
        w.WriteString("assigneeType", c.LeadIndex is null ? "PROJECT_LEAD" : "COMPONENT_LEAD");
        w.WritePropertyName("assignee"); User(w, Store.UserAt(leadOrProjectLead), brief: true);
        w.WriteString("realAssigneeType", c.LeadIndex is null ? "PROJECT_LEAD" : "COMPONENT_LEAD");
        w.WritePropertyName("realAssignee"); User(w, Store.UserAt(leadOrProjectLead), brief: true);
        w.WriteBoolean("isAssigneeTypeValid", true);
        w.WriteString("project", p.Key);
        w.WriteNumber("projectId", p.Id);
    }

    public void ComponentRef(Utf8JsonWriter w, SimComponent c)
    {
        w.WriteStartObject();
        w.WriteString("self", $"{Api}component/{c.Id}");
        w.WriteString("id", c.Id.ToString());
        w.WriteString("name", c.Name);
        if (c.Description is not null) w.WriteString("description", c.Description);
        w.WriteEndObject();
    }

    public void StatusCategory(Utf8JsonWriter w, StatusCategory c)
    {
        w.WriteStartObject();
        w.WriteString("self", $"{Api}statuscategory/{c.Id}");
        w.WriteNumber("id", c.Id);
        w.WriteString("key", c.Key);
        w.WriteString("colorName", c.ColorName);
        w.WriteString("name", c.Name);
        w.WriteEndObject();
    }

    public void Status(Utf8JsonWriter w, Status s) =>
        Fragment(w, "status", long.Parse(s.Id), inner => WriteStatus(inner, s));

    private void WriteStatus(Utf8JsonWriter w, Status s)
    {
        w.WriteStartObject();
        w.WriteString("self", $"{Api}status/{s.Id}");
        w.WriteString("description", s.Description);
        w.WriteString("iconUrl", $"{BaseUrl}images/icons/statuses/generic.png");
        w.WriteString("name", s.Name);
        w.WriteString("untranslatedName", s.Name);
        w.WriteString("id", s.Id);
        w.WritePropertyName("statusCategory"); StatusCategory(w, s.Category);
        w.WriteEndObject();
    }

    public void Priority(Utf8JsonWriter w, Priority p) =>
        Fragment(w, "priority", long.Parse(p.Id), inner => WritePriority(inner, p));

    /// <summary>A priority object; <paramref name="withDefault"/> adds priority/search's isDefault (Medium, as on a fresh site).</summary>
    private void WritePriority(Utf8JsonWriter w, Priority p, bool withDefault = false)
    {
        w.WriteStartObject();
        w.WriteString("self", $"{Api}priority/{p.Id}");
        w.WriteString("statusColor", p.StatusColor);
        w.WriteString("description", $"{p.Name} priority");
        w.WriteString("iconUrl", $"{BaseUrl}images/icons/priorities/{p.Name.ToLowerInvariant()}.svg");
        w.WriteString("name", p.Name);
        w.WriteString("id", p.Id);
        if (withDefault) w.WriteBoolean("isDefault", p.Id == "3");
        w.WriteEndObject();
    }

    public void IssueType(Utf8JsonWriter w, IssueType t) =>
        Fragment(w, "issuetype", long.Parse(t.Id), inner => WriteIssueType(inner, t));

    private void WriteIssueType(Utf8JsonWriter w, IssueType t)
    {
        w.WriteStartObject();
        w.WriteString("self", $"{Api}issuetype/{t.Id}");
        w.WriteString("id", t.Id);
        w.WriteString("description", t.Description);
        w.WriteString("iconUrl", $"{BaseUrl}images/icons/issuetypes/{t.Name.ToLowerInvariant()}.svg");
        w.WriteString("name", t.Name);
        w.WriteString("untranslatedName", t.Name);
        w.WriteBoolean("subtask", t.Subtask);
        w.WriteNumber("avatarId", 10300 + int.Parse(t.Id) % 100);
        w.WriteNumber("hierarchyLevel", t.HierarchyLevel);
        w.WriteEndObject();
    }

    public void Resolution(Utf8JsonWriter w, Resolution r) => Resolution(w, r, withDefault: false);

    /// <summary>resolution/search items (ResolutionJsonBean) also say whether the resolution is the default.</summary>
    public void Resolution(Utf8JsonWriter w, Resolution r, bool withDefault)
    {
        w.WriteStartObject();
        w.WriteString("self", $"{Api}resolution/{r.Id}");
        w.WriteString("id", r.Id);
        w.WriteString("description", r.Description);
        w.WriteString("name", r.Name);
        if (withDefault) w.WriteBoolean("isDefault", r.Id == ReferenceData.Resolutions[0].Id);
        w.WriteEndObject();
    }

    public void Role(Utf8JsonWriter w, ProjectRole r)
    {
        w.WriteStartObject();
        w.WriteString("self", $"{Api}role/{r.Id}");
        w.WriteString("name", r.Name);
        w.WriteNumber("id", r.Id);
        w.WriteString("description", r.Description);
        w.WriteStartArray("actors");
        if (r.Name == "Administrators")
        {
            w.WriteStartObject();
            w.WriteNumber("id", 10240);
            w.WriteString("displayName", "jira-administrators");
            w.WriteString("type", "atlassian-group-role-actor");
            w.WriteString("name", "jira-administrators");
            w.WriteStartObject("actorGroup"); w.WriteString("name", "jira-administrators"); w.WriteString("displayName", "jira-administrators"); w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    public void ProjectType(Utf8JsonWriter w, ProjectType t)
    {
        w.WriteStartObject();
        w.WriteString("key", t.Key);
        w.WriteString("formattedKey", t.FormattedKey);
        w.WriteString("descriptionI18nKey", $"jira.project.type.{t.Key}.description");
        w.WriteString("icon", "PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4=");
        w.WriteString("color", t.Color);
        w.WriteEndObject();
    }

    public void ProjectCategory(Utf8JsonWriter w, ProjectCategory c)
    {
        w.WriteStartObject();
        w.WriteString("self", $"{Api}projectCategory/{c.Id}");
        w.WriteString("id", c.Id.ToString());
        w.WriteString("name", c.Name);
        w.WriteString("description", c.Description);
        w.WriteEndObject();
    }

    public void Field(Utf8JsonWriter w, SystemField f)
    {
        w.WriteStartObject();
        w.WriteString("id", f.Id);
        w.WriteString("key", f.Id);
        w.WriteString("name", f.Name);
        w.WriteBoolean("custom", false);
        w.WriteBoolean("orderable", f.Orderable);
        w.WriteBoolean("navigable", f.Navigable);
        w.WriteBoolean("searchable", f.Searchable);
        w.WriteStartArray("clauseNames");
        foreach (var c in f.ClauseNames) w.WriteStringValue(c);
        w.WriteEndArray();
        if (f.SchemaType is not null)
        {
            w.WriteStartObject("schema");
            w.WriteString("type", f.SchemaType);
            if (f.SchemaItems is not null) w.WriteString("items", f.SchemaItems);
            w.WriteString("system", f.Id);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    public void Field(Utf8JsonWriter w, SimField f)
    {
        w.WriteStartObject();
        w.WriteString("id", f.Id);
        w.WriteString("key", f.Id);
        w.WriteString("name", f.Name);
        w.WriteBoolean("custom", true);
        w.WriteBoolean("orderable", true);
        w.WriteBoolean("navigable", true);
        w.WriteBoolean("searchable", true);
        w.WriteStartArray("clauseNames");
        w.WriteStringValue($"cf[{f.NumericId}]");
        w.WriteStringValue(f.Name);
        w.WriteEndArray();
        w.WriteStartObject("schema");
        w.WriteString("type", f.SchemaType);
        if (f.SchemaItems is not null) w.WriteString("items", f.SchemaItems);
        w.WriteString("custom", f.PluginKey);
        w.WriteNumber("customId", f.NumericId);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>An agile board. A private board shows only id and self (getAllBoards includePrivate: "The name and type
    /// fields are excluded"); Server/DC boards carry no `location` (what-users-ask.md S5).</summary>
    public void Board(Utf8JsonWriter w, SimBoard b)
    {
        w.WriteStartObject();
        w.WriteNumber("id", b.Id);
        w.WriteString("self", $"{BaseUrl}rest/agile/1.0/board/{b.Id}");
        if (b.Private) { w.WriteEndObject(); return; }
        w.WriteString("name", b.Name);
        w.WriteString("type", b.Type);
        if (!Cloud) { w.WriteEndObject(); return; }
        w.WriteStartObject("location");
        w.WriteNumber("projectId", b.Project.Id);
        w.WriteString("displayName", $"{b.Project.Name} ({b.Project.Key})");
        w.WriteString("projectName", b.Project.Name);
        w.WriteString("projectKey", b.Project.Key);
        w.WriteString("projectTypeKey", b.Project.TypeKey);
        w.WriteString("avatarURI", $"{BaseUrl}secure/projectavatar?size=small&avatarId=10400");
        w.WriteString("name", $"{b.Project.Name} ({b.Project.Key})");
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>Agile sprint; its dates use the colon offset style of the agile API.</summary>
    public void Sprint(Utf8JsonWriter w, SimSprint s)
    {
        w.WriteStartObject();
        w.WriteNumber("id", s.Id);
        w.WriteString("self", $"{BaseUrl}rest/agile/1.0/sprint/{s.Id}");
        w.WriteString("state", s.State);
        w.WriteString("name", s.Name);
        if (s.StartMs is { } start) w.WriteString("startDate", Time.FormatAgile(start));
        if (s.EndMs is { } end) w.WriteString("endDate", Time.FormatAgile(end));
        if (s.CompleteMs is { } done) w.WriteString("completeDate", Time.FormatAgile(done));
        w.WriteNumber("originBoardId", s.BoardId);
        w.WriteString("goal", s.Goal);
        w.WriteEndObject();
    }
}
