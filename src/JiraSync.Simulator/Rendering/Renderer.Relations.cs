using System.Text.Json;
using JiraSync.Simulator.Model;

namespace JiraSync.Simulator.Rendering;

/// <summary>Issue links, attachments, watchers, remote links and the Sprint field value.</summary>
public sealed partial class Renderer
{
    public void IssueLinkType(Utf8JsonWriter w, IssueLinkType t)
    {
        w.WriteStartObject();
        w.WriteString("id", t.Id);
        w.WriteString("name", t.Name);
        w.WriteString("inward", t.Inward);
        w.WriteString("outward", t.Outward);
        w.WriteString("self", $"{Api}issueLinkType/{t.Id}");
        w.WriteEndObject();
    }

    /// <summary>One entry of `fields.issuelinks` as seen from <paramref name="from"/>: the other issue under
    /// `outwardIssue` when <paramref name="from"/> is the link's source, else under `inwardIssue`, with its
    /// summary, status, priority and issue type (OpenAPI IssueLink, LinkedIssue).</summary>
    public void IssueLink(Utf8JsonWriter w, SimLink link, SimIssue from)
    {
        var outward = link.InwardIssueId == from.Id;
        var other = Store.IssuesById[outward ? link.OutwardIssueId : link.InwardIssueId];
        w.WriteStartObject();
        w.WriteString("id", link.Id.ToString());
        w.WriteString("self", $"{Api}issueLink/{link.Id}");
        w.WritePropertyName("type"); IssueLinkType(w, ReferenceData.IssueLinkTypes[link.TypeIndex]);
        LinkedIssue(w, outward ? "outwardIssue" : "inwardIssue", other);
        w.WriteEndObject();
    }

    /// <summary>GET issueLink/{id}: the link with both sides (OpenAPI getIssueLink).</summary>
    public void IssueLinkBoth(Utf8JsonWriter w, SimLink link)
    {
        w.WriteStartObject();
        w.WriteString("id", link.Id.ToString());
        w.WriteString("self", $"{Api}issueLink/{link.Id}");
        w.WritePropertyName("type"); IssueLinkType(w, ReferenceData.IssueLinkTypes[link.TypeIndex]);
        LinkedIssue(w, "inwardIssue", Store.IssuesById[link.InwardIssueId]);
        LinkedIssue(w, "outwardIssue", Store.IssuesById[link.OutwardIssueId]);
        w.WriteEndObject();
    }

    private void LinkedIssue(Utf8JsonWriter w, string name, SimIssue other)
    {
        w.WriteStartObject(name);
        w.WriteString("id", other.Id.ToString());
        w.WriteString("key", other.Key);
        w.WriteString("self", $"{Api}issue/{other.Id}");
        w.WriteStartObject("fields");
        w.WriteString("summary", Summary(other));
        w.WritePropertyName("status"); Status(w, ReferenceData.Statuses[other.StatusIndex]);
        w.WritePropertyName("priority"); Priority(w, ReferenceData.Priorities[other.PriorityIndex]);
        w.WritePropertyName("issuetype"); IssueType(w, ReferenceData.IssueTypes[other.TypeIndex]);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>Attachment metadata as embedded in `fields.attachment` (string id) and served by GET attachment/{id}
    /// (OpenAPI Attachment, AttachmentMetadata). Cloud content URLs are REST paths; Server uses /secure/attachment.
    /// A thumbnail only for images (Assumed).</summary>
    public void Attachment(Utf8JsonWriter w, SimAttachment a)
    {
        w.WriteStartObject();
        w.WriteString("self", $"{Api}attachment/{a.Id}");
        w.WriteString("id", a.Id.ToString());
        w.WriteString("filename", a.Filename);
        w.WritePropertyName("author"); User(w, Store.UserAt(a.AuthorIndex), brief: true);
        w.WriteString("created", Time.Format(a.CreatedMs));
        w.WriteNumber("size", a.Size);
        w.WriteString("mimeType", a.MimeType);
        var name = Uri.EscapeDataString(a.Filename);
        w.WriteString("content", Cloud ? $"{Api}attachment/content/{a.Id}" : $"{BaseUrl}secure/attachment/{a.Id}/{name}");
        if (a.MimeType.StartsWith("image/", StringComparison.Ordinal))
            w.WriteString("thumbnail", Cloud ? $"{Api}attachment/thumbnail/{a.Id}" : $"{BaseUrl}secure/thumbnail/{a.Id}/_thumb_{a.Id}.png");
        w.WriteEndObject();
    }

    /// <summary>GET issue/{id}/watchers: {self, isWatching, watchCount, watchers[]} with brief users (OpenAPI Watchers;
    /// fixture airbyte-cloud/issue_watchers.json).</summary>
    public void Watchers(Utf8JsonWriter w, SimIssue i)
    {
        w.WriteStartObject();
        w.WriteString("self", $"{Api}issue/{i.Key}/watchers");
        w.WriteBoolean("isWatching", i.Watchers.Contains(0));
        w.WriteNumber("watchCount", i.Watchers.Count);
        w.WriteStartArray("watchers");
        foreach (var u in i.Watchers) User(w, Store.UserAt(u), brief: true);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static readonly (string Type, string Name, string Relationship, string Host)[] RemoteApps =
    [
        ("com.atlassian.confluence", "Confluence", "mentioned in", "https://wiki.example.com/pages/"),
        ("com.github.integration", "GitHub", "is fixed by", "https://github.example.com/acme/app/pull/"),
        ("", "", "links to", "https://status.example.com/incidents/"),
    ];

    /// <summary>The link's globalId (absent on plain web links).</summary>
    public static string? RemoteLinkGlobalId(SimRemoteLink l)
    {
        var rng = new Random(l.Seed);
        var app = RemoteApps[rng.Next(RemoteApps.Length)];
        var n = rng.Next(1, 9999);
        return app.Type.Length > 0 ? $"system={app.Host}&id={n}" : null;
    }

    /// <summary>A remote link as in GET issue/{id}/remotelink (numeric id; fixtures airbyte-cloud/issue_remote_links.json,
    /// go-jira/remote_links.json). A plain web link has no application type or name (empty object fields, Assumed).</summary>
    public void RemoteLink(Utf8JsonWriter w, SimRemoteLink l, SimIssue issue)
    {
        var rng = new Random(l.Seed);
        var app = RemoteApps[rng.Next(RemoteApps.Length)];
        var n = rng.Next(1, 9999);
        var url = app.Host + n;
        w.WriteStartObject();
        w.WriteNumber("id", l.Id);
        w.WriteString("self", $"{Api}issue/{issue.Key}/remotelink/{l.Id}");
        if (RemoteLinkGlobalId(l) is { } globalId) w.WriteString("globalId", globalId);
        w.WriteStartObject("application");
        if (app.Type.Length > 0) { w.WriteString("type", app.Type); w.WriteString("name", app.Name); }
        w.WriteEndObject();
        w.WriteString("relationship", app.Relationship);
        w.WriteStartObject("object");
        w.WriteString("url", url);
        w.WriteString("title", app.Type.Length > 0 ? $"{app.Name} #{n}" : url);
        if (rng.Next(2) == 0) w.WriteString("summary", TextGenerator.Sentence(l.Seed));
        w.WriteStartObject("icon");
        w.WriteString("url16x16", $"{app.Host}favicon.ico");
        w.WriteString("title", app.Name.Length > 0 ? app.Name : "Web link");
        w.WriteEndObject();
        w.WriteStartObject("status");
        w.WriteBoolean("resolved", rng.Next(3) == 0);
        w.WriteStartObject("icon"); w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>The Sprint field: on Cloud an array of {id, name, state, boardId, goal, startDate, endDate,
    /// completeDate} with UTC dates; on Server/DC the legacy `com.atlassian.greenhopper.service.sprint.Sprint@…[…]`
    /// strings (Jira Software field input formats; what-users-ask.md S5). Null when the issue is in no sprint.</summary>
    private void SprintFieldValue(Utf8JsonWriter w, SimIssue i, string fieldId)
    {
        var sprints = i.SprintIds.Select(id => Store.FindSprint(id)).Where(s => s is { Deleted: false }).ToList();
        if (sprints.Count == 0) { w.WriteNull(fieldId); return; }
        w.WriteStartArray(fieldId);
        foreach (var s in sprints)
        {
            if (!Cloud) { w.WriteStringValue(LegacySprintString(s!)); continue; }
            w.WriteStartObject();
            w.WriteNumber("id", s!.Id);
            w.WriteString("name", s.Name);
            w.WriteString("state", s.State);
            w.WriteNumber("boardId", s.BoardId);
            w.WriteString("goal", s.Goal);
            if (s.StartMs is { } start) w.WriteString("startDate", JiraTime.FormatUtc(start));
            if (s.EndMs is { } end) w.WriteString("endDate", JiraTime.FormatUtc(end));
            if (s.CompleteMs is { } done) w.WriteString("completeDate", JiraTime.FormatUtc(done));
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    /// <summary>Field order and the `&lt;null&gt;` spelling follow strings seen from Jira Server 7–8 (Assumed for 9.x).</summary>
    private string LegacySprintString(SimSprint s)
    {
        string D(long? ms) => ms is { } v ? Time.FormatAgile(v) : "<null>";
        return $"com.atlassian.greenhopper.service.sprint.Sprint@{(uint)TextGenerator.Mix((int)s.Id, 99):x8}[id={s.Id},rapidViewId={s.BoardId}," +
               $"state={s.State.ToUpperInvariant()},name={s.Name},startDate={D(s.StartMs)},endDate={D(s.EndMs)},completeDate={D(s.CompleteMs)}," +
               $"activatedDate={D(s.StartMs)},sequence={s.Id},goal={s.Goal}]";
    }
}
