using System.Text.Json;
using JiraSync.Simulator.Model;

namespace JiraSync.Simulator.Rendering;

public sealed partial class Renderer
{
    /// <param name="renderedBody">expand=renderedBody: the body as HTML too.</param>
    public void Comment(Utf8JsonWriter w, SimComment c, bool renderedBody = false)
    {
        w.WriteStartObject();
        w.WriteString("self", $"{Api}issue/{c.IssueId}/comment/{c.Id}");
        w.WriteString("id", c.Id.ToString());
        w.WritePropertyName("author"); User(w, Store.UserAt(c.AuthorIndex), brief: true);
        var body = TextGenerator.Paragraphs(c.TextSeed);
        w.WriteString("body", body);
        if (renderedBody) w.WriteString("renderedBody", "<p>" + System.Net.WebUtility.HtmlEncode(body).Replace("\n\n", "</p><p>") + "</p>");
        w.WritePropertyName("updateAuthor"); User(w, Store.UserAt(c.UpdateAuthorIndex), brief: true);
        w.WriteString("created", Time.Format(c.CreatedMs));
        w.WriteString("updated", Time.Format(c.UpdatedMs));
        if (c.TextSeed % 7 == 0)
        {
            w.WriteStartObject("visibility");
            w.WriteString("type", "role");
            w.WriteString("value", "Developers");
            w.WriteString("identifier", "Developers");
            w.WriteEndObject();
        }
        w.WriteBoolean("jsdPublic", true);
        w.WriteEndObject();
    }

    /// <param name="properties">expand=properties: the (empty) entity properties list.</param>
    public void Worklog(Utf8JsonWriter w, SimWorklog x, bool properties = false)
    {
        w.WriteStartObject();
        w.WriteString("self", $"{Api}issue/{x.IssueId}/worklog/{x.Id}");
        w.WritePropertyName("author"); User(w, Store.UserAt(x.AuthorIndex), brief: true);
        w.WritePropertyName("updateAuthor"); User(w, Store.UserAt(x.UpdateAuthorIndex), brief: true);
        if (x.TextSeed % 3 != 0) w.WriteString("comment", TextGenerator.Sentence(x.TextSeed));
        w.WriteString("created", Time.Format(x.CreatedMs));
        w.WriteString("updated", Time.Format(x.UpdatedMs));
        w.WriteString("started", Time.Format(x.StartedMs));
        w.WriteString("timeSpent", Duration(x.TimeSpentSeconds));
        w.WriteNumber("timeSpentSeconds", x.TimeSpentSeconds);
        w.WriteString("id", x.Id.ToString());
        w.WriteString("issueId", x.IssueId.ToString());
        if (properties) { w.WriteStartArray("properties"); w.WriteEndArray(); }
        if (x.TextSeed % 11 == 0)
        {
            w.WriteStartObject("visibility");
            w.WriteString("type", "group");
            w.WriteString("value", "jira-software-users");
            w.WriteString("identifier", "276f955c-63d7-42c8-9520-92d01dca0625");
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    /// <summary>A changelog history. Control updates record the real status change; generated ones
    /// derive plausible items from their seed.</summary>
    public void History(Utf8JsonWriter w, SimHistory h, bool withIssueId)
    {
        w.WriteStartObject();
        w.WriteString("id", h.Id.ToString());
        if (withIssueId) w.WriteString("issueId", h.IssueId.ToString());
        w.WritePropertyName("author"); User(w, Store.UserAt(h.AuthorIndex), brief: true);
        w.WriteString("created", Time.Format(h.CreatedMs));
        w.WriteStartArray("items");
        if (h.Items is { } items)
            foreach (var x in items) Item(w, x.Field, x.FieldType, x.FieldId, x.From, x.FromText, x.To, x.ToText);
        else if (h.FromStatus >= 0) StatusItem(w, h.FromStatus, h.ToStatus);
        else
        {
            var rng = new Random(h.Seed);
            var n = rng.Next(1, 3);
            for (var k = 0; k < n; k++)
            {
                switch (rng.Next(5))
                {
                    case 0:
                        var from = rng.Next(4);
                        StatusItem(w, from, (from + 1 + rng.Next(3)) % 4);
                        break;
                    case 1:
                        var a = rng.Next(Store.Users.Count); var b = (a + 1 + rng.Next(Store.Users.Count - 1)) % Store.Users.Count;
                        Item(w, "assignee", "jira", "assignee", UserId(Store.UserAt(a)), Store.UserAt(a).DisplayName,
                            UserId(Store.UserAt(b)), Store.UserAt(b).DisplayName);
                        break;
                    case 2:
                        var p = rng.Next(5); var q = (p + 1 + rng.Next(4)) % 5;
                        Item(w, "priority", "jira", "priority", ReferenceData.Priorities[p].Id, ReferenceData.Priorities[p].Name,
                            ReferenceData.Priorities[q].Id, ReferenceData.Priorities[q].Name);
                        break;
                    case 3:
                        Item(w, "summary", "jira", "summary", null, TextGenerator.Sentence(h.Seed + 1), null, TextGenerator.Sentence(h.Seed + 2));
                        break;
                    default:
                        Item(w, "Story Points", "custom", "customfield_10010", null, rng.Next(2) == 0 ? null : rng.Next(1, 9).ToString(), null, rng.Next(1, 13).ToString());
                        break;
                }
            }
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private string UserId(SimUser u) => Cloud ? u.AccountId : u.Key;

    private static void StatusItem(Utf8JsonWriter w, int from, int to) =>
        Item(w, "status", "jira", "status", ReferenceData.Statuses[from].Id, ReferenceData.Statuses[from].Name,
            ReferenceData.Statuses[to].Id, ReferenceData.Statuses[to].Name);

    private static void Item(Utf8JsonWriter w, string field, string fieldType, string fieldId, string? from, string? fromString, string? to, string? toString)
    {
        w.WriteStartObject();
        w.WriteString("field", field);
        w.WriteString("fieldtype", fieldType);
        w.WriteString("fieldId", fieldId);
        StringOrNull(w, "from", from);
        StringOrNull(w, "fromString", fromString);
        StringOrNull(w, "to", to);
        StringOrNull(w, "toString", toString);
        w.WriteEndObject();
    }

    public void Transition(Utf8JsonWriter w, Transition t)
    {
        w.WriteStartObject();
        w.WriteString("id", t.Id);
        w.WriteString("name", t.Name);
        w.WritePropertyName("to"); Status(w, ReferenceData.Statuses[t.ToStatusIndex]);
        w.WriteBoolean("hasScreen", false);
        w.WriteBoolean("isGlobal", true);
        w.WriteBoolean("isInitial", false);
        w.WriteBoolean("isAvailable", true);
        w.WriteBoolean("isConditional", false);
        w.WriteBoolean("isLooped", false);
        w.WriteEndObject();
    }
}
