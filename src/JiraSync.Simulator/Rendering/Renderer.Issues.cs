using System.Text.Json;
using JiraSync.Simulator.Model;

namespace JiraSync.Simulator.Rendering;

public sealed partial class Renderer
{
    public void Issue(Utf8JsonWriter w, SimIssue issue, FieldSelection fields, IssueExpand expand)
    {
        w.WriteStartObject();
        if (fields.IdOnly && !expand.Changelog && !expand.Transitions && !expand.RenderedFields)
        {
            // Enhanced search's default (fields=id) returns bare ids.
            w.WriteString("id", issue.Id.ToString());
            if (fields.Wants("key", false)) w.WriteString("key", issue.Key);
            w.WriteEndObject();
            return;
        }
        w.WriteString("expand", "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations");
        w.WriteString("id", issue.Id.ToString());
        w.WriteString("self", $"{Api}issue/{issue.Id}");
        w.WriteString("key", issue.Key);
        if (expand.RenderedFields)
        {
            w.WriteStartObject("renderedFields");
            w.WriteString("description", "<p>" + System.Net.WebUtility.HtmlEncode(TextGenerator.Paragraphs(issue.TextSeed)) + "</p>");
            w.WriteEndObject();
        }
        if (expand.Transitions)
        {
            w.WriteStartArray("transitions");
            foreach (var t in TransitionsOf(issue)) Transition(w, t);
            w.WriteEndArray();
        }
        if (expand.Names && expand.NamesInIssue) Names(w, fields);
        w.WriteStartObject("fields");
        foreach (var f in SystemFields.All)
            if (fields.Wants(f.Id, f.Navigable)) SystemFieldValue(w, issue, f.Id, expand);
        foreach (var f in Store.CustomFields)
            if (fields.Wants(f.Id, true)) CustomFieldValue(w, issue, f);
        w.WriteEndObject();
        if (expand.Changelog) EmbeddedChangelog(w, issue, expand.HistoryCap);
        w.WriteEndObject();
    }

    /// <summary>expand=names: field id → display name for the selected fields. GET issue puts it in the
    /// issue; the search endpoints put one map at the top of the response (SearchAndReconcileResults.names).</summary>
    public void Names(Utf8JsonWriter w, FieldSelection fields)
    {
        w.WriteStartObject("names");
        foreach (var f in SystemFields.All) if (fields.Wants(f.Id, f.Navigable)) w.WriteString(f.Id, f.Name);
        foreach (var f in Store.CustomFields) if (fields.Wants(f.Id, true)) w.WriteString(f.Id, f.Name);
        w.WriteEndObject();
    }

    public static IEnumerable<Transition> TransitionsOf(SimIssue issue) =>
        ReferenceData.Transitions.Where(t => t.ToStatusIndex != issue.StatusIndex);

    private void SystemFieldValue(Utf8JsonWriter w, SimIssue i, string id, IssueExpand expand)
    {
        switch (id)
        {
            case "summary": w.WriteString(id, Summary(i)); break;
            case "issuetype": w.WritePropertyName(id); IssueType(w, ReferenceData.IssueTypes[i.TypeIndex]); break;
            case "project": w.WritePropertyName(id); ProjectRef(w, i.Project); break;
            case "status": w.WritePropertyName(id); Status(w, ReferenceData.Statuses[i.StatusIndex]); break;
            case "statuscategorychangedate": Timestamp(w, id, i.ResolutionMs ?? i.CreatedMs); break;
            case "priority": w.WritePropertyName(id); Priority(w, ReferenceData.Priorities[i.PriorityIndex]); break;
            case "resolution":
                w.WritePropertyName(id);
                if (i.ResolutionIndex < 0) w.WriteNullValue(); else Resolution(w, ReferenceData.Resolutions[i.ResolutionIndex]);
                break;
            case "resolutiondate": Timestamp(w, id, i.ResolutionMs); break;
            case "assignee": UserOrNull(w, id, i.AssigneeIndex); break;
            case "reporter": UserOrNull(w, id, i.ReporterIndex); break;
            case "creator": UserOrNull(w, id, i.ReporterIndex); break;
            case "created": Timestamp(w, id, i.CreatedMs); break;
            case "updated": Timestamp(w, id, i.UpdatedMs); break;
            case "lastViewed": w.WriteNull(id); break;
            case "duedate":
                if (i.DueMs is { } due) w.WriteString(id, Time.FormatDate(due)); else w.WriteNull(id);
                break;
            case "labels":
                w.WriteStartArray(id);
                for (var b = 0; b < ReferenceData.Labels.Length; b++)
                    if ((i.LabelMask & (1 << b)) != 0) w.WriteStringValue(ReferenceData.Labels[b]);
                w.WriteEndArray();
                break;
            case "components":
                w.WriteStartArray(id);
                if (i.ComponentId is { } cid && i.Project.Components.FirstOrDefault(c => c.Id == cid) is { } comp) ComponentRef(w, comp);
                w.WriteEndArray();
                break;
            case "fixVersions":
                w.WriteStartArray(id);
                if (i.FixVersionId is { } vid && i.Project.Versions.FirstOrDefault(v => v.Id == vid) is { } ver) Version(w, ver);
                w.WriteEndArray();
                break;
            case "versions": w.WriteStartArray(id); w.WriteEndArray(); break;
            case "description":
                if (i.TextSeed % 4 == 0) w.WriteNull(id); else w.WriteString(id, TextGenerator.Paragraphs(i.TextSeed));
                break;
            case "environment": w.WriteNull(id); break;
            case "timespent" or "aggregatetimespent":
                var spent = SpentSeconds(i);
                if (spent == 0) w.WriteNull(id); else w.WriteNumber(id, spent);
                break;
            case "timeoriginalestimate" or "aggregatetimeoriginalestimate" or "timeestimate" or "aggregatetimeestimate":
                // Estimates are set on every fifth issue only; the rest are null as in most real sites.
                if (i.TextSeed % 5 != 0) w.WriteNull(id);
                else w.WriteNumber(id, id.Contains("original") ? 28_800 : Math.Max(0, 28_800 - SpentSeconds(i)));
                break;
            case "progress" or "aggregateprogress":
                w.WriteStartObject(id);
                var done = SpentSeconds(i);
                w.WriteNumber("progress", done);
                w.WriteNumber("total", i.TextSeed % 5 == 0 ? Math.Max(done, 28_800) : done);
                if (done > 0 && i.TextSeed % 5 == 0) w.WriteNumber("percent", (int)(100 * done / Math.Max(done, 28_800)));
                w.WriteEndObject();
                break;
            case "issuerestriction":
                w.WriteStartObject(id);
                w.WriteStartObject("issuerestrictions"); w.WriteEndObject();
                w.WriteBoolean("shouldDisplay", false);
                w.WriteEndObject();
                break;
            case "timetracking":
                w.WriteStartObject(id);
                var total = i.Worklogs.Where(x => !x.Deleted).Sum(x => x.TimeSpentSeconds);
                if (total > 0) { w.WriteString("timeSpent", Duration(total)); w.WriteNumber("timeSpentSeconds", total); }
                w.WriteEndObject();
                break;
            case "attachment":
                w.WriteStartArray(id);
                foreach (var a in i.Attachments) Attachment(w, a);
                w.WriteEndArray();
                break;
            case "subtasks": w.WriteStartArray(id); w.WriteEndArray(); break;
            case "issuelinks":
                w.WriteStartArray(id);
                foreach (var link in Store.LinksOf(i)) IssueLink(w, link, i);
                w.WriteEndArray();
                break;
            case "watches":
                w.WriteStartObject(id);
                w.WriteString("self", $"{Api}issue/{i.Key}/watchers");
                w.WriteNumber("watchCount", i.Watchers.Count);
                w.WriteBoolean("isWatching", i.Watchers.Contains(0));
                w.WriteEndObject();
                break;
            case "votes":
                w.WriteStartObject(id);
                w.WriteString("self", $"{Api}issue/{i.Key}/votes");
                w.WriteNumber("votes", i.TextSeed % 5);
                w.WriteBoolean("hasVoted", false);
                w.WriteEndObject();
                break;
            case "workratio": w.WriteNumber(id, -1); break;
            case "security": w.WriteNull(id); break;
            case "comment": EmbeddedComments(w, i, expand.CommentCap); break;
            case "worklog": EmbeddedWorklogs(w, i, expand.WorklogCap); break;
        }
    }

    private static long SpentSeconds(SimIssue i) => i.Worklogs.Where(x => !x.Deleted).Sum(x => (long)x.TimeSpentSeconds);

    public static string Summary(SimIssue i) =>
        TextGenerator.Sentence(i.TextSeed) + (i.Revision > 0 ? $" (rev {i.Revision})" : "");

    public static string Duration(int seconds)
    {
        var h = seconds / 3600; var m = seconds % 3600 / 60;
        return h > 0 && m > 0 ? $"{h}h {m}m" : h > 0 ? $"{h}h" : $"{m}m";
    }

    /// <summary>The value a number custom field shows: a control-set value, else the seeded one (null for about a third).</summary>
    public static double? NumberValue(SimIssue i, SimField f)
    {
        if (i.NumberOverrides.TryGetValue(f.Id, out var set)) return set;
        var rng = new Random(TextGenerator.Mix((int)f.NumericId, i.Id * 31 + i.Revision));
        return rng.Next(3) == 0 ? null : NumberFrom(rng);
    }

    private static double NumberFrom(Random rng) => rng.Next(1, 14) * (rng.Next(2) == 0 ? 1.0 : 0.5);

    /// <summary>Custom values come from a hash of field, issue and revision; about a third are null.</summary>
    private void CustomFieldValue(Utf8JsonWriter w, SimIssue i, SimField f)
    {
        if (f.Type == CustomFieldType.Sprint) { SprintFieldValue(w, i, f.Id); return; }
        if (i.NumberOverrides.TryGetValue(f.Id, out var set)) { if (set is { } v) w.WriteNumber(f.Id, v); else w.WriteNull(f.Id); return; }
        var seed = TextGenerator.Mix((int)f.NumericId, i.Id * 31 + i.Revision);
        var rng = new Random(seed);
        if (rng.Next(3) == 0) { w.WriteNull(f.Id); return; }
        switch (f.Type)
        {
            case CustomFieldType.Number: w.WriteNumber(f.Id, NumberFrom(rng)); break;
            case CustomFieldType.Text: w.WriteString(f.Id, TextGenerator.Sentence(seed, 1, 4)); break;
            case CustomFieldType.TextArea: w.WriteString(f.Id, TextGenerator.Paragraphs(seed)); break;
            case CustomFieldType.Select:
                w.WritePropertyName(f.Id); Option(w, f, rng.Next(4));
                break;
            case CustomFieldType.MultiSelect:
                w.WriteStartArray(f.Id);
                var n = rng.Next(1, 4);
                for (var k = 0; k < n; k++) Option(w, f, k * 2 + rng.Next(2));
                w.WriteEndArray();
                break;
            case CustomFieldType.Date: w.WriteString(f.Id, Time.FormatDate(i.CreatedMs + rng.Next(1, 200) * 86_400_000L)); break;
            case CustomFieldType.DateTime: w.WriteString(f.Id, Time.Format(i.CreatedMs + rng.Next(1, 200_000) * 60_000L)); break;
            case CustomFieldType.User: w.WritePropertyName(f.Id); User(w, Store.UserAt(rng.Next(Store.Users.Count)), brief: true); break;
            case CustomFieldType.Labels:
                w.WriteStartArray(f.Id);
                w.WriteStringValue(ReferenceData.Labels[rng.Next(ReferenceData.Labels.Length)]);
                w.WriteEndArray();
                break;
            case CustomFieldType.Cascading:
                // {self, value, id, child?} (Jira field input formats, "Select list (cascading)").
                var parent = rng.Next(3);
                w.WritePropertyName(f.Id);
                w.WriteStartObject();
                OptionProperties(w, f.CascadeParent(parent));
                if (rng.Next(3) > 0) { w.WritePropertyName("child"); w.WriteStartObject(); OptionProperties(w, f.CascadeChild(parent, rng.Next(f.CascadeChildren(parent)))); w.WriteEndObject(); }
                w.WriteEndObject();
                break;
        }
    }

    private void Option(Utf8JsonWriter w, SimField f, int k)
    {
        w.WriteStartObject();
        OptionProperties(w, f.Option(k));
        w.WriteEndObject();
    }

    private void OptionProperties(Utf8JsonWriter w, FieldOption o)
    {
        w.WriteString("self", $"{Api}customFieldOption/{o.Id}");
        w.WriteString("value", o.Value);
        w.WriteString("id", o.Id.ToString());
    }

    private void EmbeddedComments(Utf8JsonWriter w, SimIssue i, int cap)
    {
        var live = i.Comments.Where(c => !c.Deleted).ToList();
        var shown = live.Take(cap).ToList();
        w.WriteStartObject("comment");
        w.WriteStartArray("comments");
        foreach (var c in shown) Comment(w, c);
        w.WriteEndArray();
        w.WriteString("self", $"{Api}issue/{i.Id}/comment");
        w.WriteNumber("maxResults", shown.Count);
        w.WriteNumber("total", live.Count);
        w.WriteNumber("startAt", 0);
        w.WriteEndObject();
    }

    private void EmbeddedWorklogs(Utf8JsonWriter w, SimIssue i, int cap)
    {
        var live = i.Worklogs.Where(x => !x.Deleted).ToList();
        w.WriteStartObject("worklog");
        w.WriteNumber("startAt", 0);
        w.WriteNumber("maxResults", cap);
        w.WriteNumber("total", live.Count);
        w.WriteStartArray("worklogs");
        foreach (var x in live.Take(cap)) Worklog(w, x);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>expand=changelog: newest first, truncated to the newest <paramref name="cap"/>; total shows the full count.</summary>
    private void EmbeddedChangelog(Utf8JsonWriter w, SimIssue i, int cap)
    {
        var shown = Math.Min(cap, i.Histories.Count);
        w.WriteStartObject("changelog");
        w.WriteNumber("startAt", 0);
        w.WriteNumber("maxResults", shown);
        w.WriteNumber("total", i.Histories.Count);
        w.WriteStartArray("histories");
        for (var k = i.Histories.Count - 1; k >= i.Histories.Count - shown; k--) History(w, i.Histories[k], withIssueId: false);
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
