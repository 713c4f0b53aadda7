using System.Text.Json.Nodes;
using JiraSync.Singer;

namespace JiraSync.Tests.Analytics;

/// <summary>
/// Issues with change histories written out by hand, as a tap emitting tap-jira's issues and changelogs would send
/// them, together with what the history must say about them (the expected timelines are stated here directly,
/// not derived from the changelog items the code under test reads). Covers: an issue created in a status other
/// than the workflow's first with a status round trip and an anonymous change; a 250-entry history; two changes in
/// one millisecond whose ids sort wrongly as text; a moved issue (Key and project items, no fieldId on Key);
/// labels (whole-list items) and components (per-element items); Sprint changes listing several sprint ids;
/// a custom select field renamed between runs; an issue deleted in the second run.
/// </summary>
public static class KnownHistories
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 5, 9, 0, 0, 0, TimeSpan.Zero);
    public static DateTimeOffset H(double hours) => T0.AddHours(hours);
    public static DateTimeOffset D(double days) => T0.AddDays(days);

    public const string ToDo = "10000", InProgress = "3", InReview = "10001", Done = "10002";
    public static readonly Dictionary<string, (string Name, string Category)> Statuses = new()
    {
        [ToDo] = ("To Do", "new"), [InProgress] = ("In Progress", "indeterminate"), [InReview] = ("In Review", "indeterminate"), [Done] = ("Done", "done"),
    };

    public const string SprintField = "customfield_10020", PointsField = "customfield_10016", SeverityField = "customfield_10030";

    public sealed record Sprint(string Id, string Name, string State, DateTimeOffset? Start, DateTimeOffset? End, DateTimeOffset? Complete);
    public static readonly Sprint Sprint1 = new("1", "Sprint 1", "closed", D(1), D(14), D(15));
    public static readonly Sprint Sprint2 = new("2", "Sprint 2", "active", D(15), D(29), null);

    public sealed record Change(string Id, DateTimeOffset At, string? Author, params JsonObject[] Items);

    public sealed class Issue(string id, string key, DateTimeOffset created)
    {
        public string Id { get; } = id;
        public string Key { get; set; } = key;
        public DateTimeOffset Created { get; } = created;
        public JsonObject Fields { get; } = new();
        public List<Change> Changes { get; } = [];
        /// <summary>Expected status periods: (status id, from); each ends where the next begins.</summary>
        public List<(string Status, DateTimeOffset From, string? By)> StatusTimeline { get; } = [];
    }

    public static JsonObject Item(string field, string? fieldId, string? from, string? fromString, string? to, string? toString, string type = "jira")
    {
        var o = new JsonObject { ["field"] = field, ["fieldtype"] = type };
        if (fieldId != null) o["fieldId"] = fieldId;
        o["from"] = from; o["fromString"] = fromString; o["to"] = to; o["toString"] = toString;
        return o;
    }

    public static JsonObject StatusItem(string from, string to) => Item("status", "status", from, Statuses[from].Name, to, Statuses[to].Name);

    public static JsonObject Status(string id) => new()
    {
        ["id"] = id, ["name"] = Statuses[id].Name,
        ["statusCategory"] = new JsonObject { ["key"] = Statuses[id].Category, ["name"] = Statuses[id].Category switch { "new" => "To Do", "done" => "Done", _ => "In Progress" } },
    };

    public static JsonObject User(string accountId) => new() { ["accountId"] = accountId, ["displayName"] = "User " + accountId };

    public static JsonObject SprintJson(Sprint s)
    {
        var o = new JsonObject { ["id"] = int.Parse(s.Id), ["name"] = s.Name, ["state"] = s.State, ["boardId"] = 7 };
        if (s.Start is { } a) o["startDate"] = SingerTime.Format(a);
        if (s.End is { } e) o["endDate"] = SingerTime.Format(e);
        if (s.Complete is { } c) o["completeDate"] = SingerTime.Format(c);
        return o;
    }

    private static Issue New(string id, string key, DateTimeOffset created, string status, string project = "10000")
    {
        var i = new Issue(id, key, created);
        i.Fields["created"] = SingerTime.Format(created);
        i.Fields["status"] = Status(status);
        i.Fields["project"] = new JsonObject { ["id"] = project, ["key"] = project == "10000" ? "ENG" : "OPS", ["name"] = project == "10000" ? "Engineering" : "Operations" };
        i.Fields["issuetype"] = new JsonObject { ["id"] = "10002", ["name"] = "Task" };
        i.Fields["priority"] = new JsonObject { ["id"] = "3", ["name"] = "Medium" };
        i.Fields["assignee"] = null;
        i.Fields["labels"] = new JsonArray();
        i.Fields["components"] = new JsonArray();
        return i;
    }

    /// <summary>The issues as they stand after the first run (<paramref name="final"/> false) or the second.</summary>
    public static List<Issue> Build(bool final)
    {
        var issues = new List<Issue>();

        // 101: created In Progress (not the workflow's first status), In Review, Done (anonymous change), reopened, Done again.
        var a = New("101", "ENG-1", T0, final ? Done : Done);
        a.Changes.Add(new Change("1001", H(1), "u1", StatusItem(InProgress, InReview)));
        a.Changes.Add(new Change("1002", H(2), null, StatusItem(InReview, Done),
            Item("assignee", "assignee", null, null, "u2", "User u2"), Item("labels", "labels", null, "", null, "alpha beta")));
        a.StatusTimeline.AddRange([(InProgress, T0, null), (InReview, H(1), "u1"), (Done, H(2), null)]);
        a.Fields["assignee"] = User("u2");
        a.Fields["labels"] = new JsonArray("alpha", "beta");
        a.Fields["components"] = new JsonArray(new JsonObject { ["id"] = "10101", ["name"] = "Frontend" });
        if (final)
        {
            a.Changes.Add(new Change("1003", H(5), "u1", StatusItem(Done, InProgress), Item("Component", "components", null, null, "10100", "Backend")));
            a.Changes.Add(new Change("1004", H(6), "u2", StatusItem(InProgress, Done)));
            a.StatusTimeline.AddRange([(InProgress, H(5), "u1"), (Done, H(6), "u2")]);
            a.Fields["components"] = new JsonArray(new JsonObject { ["id"] = "10101", ["name"] = "Frontend" }, new JsonObject { ["id"] = "10100", ["name"] = "Backend" });
        }
        issues.Add(a);

        // 102: 250 histories, ten minutes apart, cycling To Do → In Progress → In Review → Done → To Do …
        string[] cycle = [ToDo, InProgress, InReview, Done];
        var b = New("102", "ENG-2", T0, cycle[250 % 4]);
        b.StatusTimeline.Add((ToDo, T0, null));
        for (var k = 1; k <= 250; k++)
        {
            b.Changes.Add(new Change((2000 + k).ToString(), T0.AddMinutes(10 * k), "u3", StatusItem(cycle[(k - 1) % 4], cycle[k % 4])));
            b.StatusTimeline.Add((cycle[k % 4], T0.AddMinutes(10 * k), "u3"));
        }
        issues.Add(b);

        // 103: two changes in one millisecond; as text "1000" sorts before "999", as numbers after. The second history
        // repeats its item (Jira sends such duplicates).
        var c = New("103", "ENG-3", T0, Done);
        var tie = H(1).AddMilliseconds(123);
        c.Changes.Add(new Change("1000", tie, "u1", StatusItem(InProgress, Done), StatusItem(InProgress, Done)));
        c.Changes.Add(new Change("999", tie, "u1", StatusItem(ToDo, InProgress)));
        c.StatusTimeline.AddRange([(ToDo, T0, null), (InProgress, tie, "u1"), (Done, tie, "u1")]);
        issues.Add(c);

        // 104: moved from ENG to OPS: a Key item without fieldId and a project item; the id stays.
        var g = New("104", "OPS-1", T0, ToDo, project: "10001");
        g.Changes.Add(new Change("4001", H(3), "u2",
            Item("Key", null, null, "ENG-4", null, "OPS-1"), Item("project", "project", "10000", "Engineering", "10001", "Operations")));
        g.StatusTimeline.Add((ToDo, T0, null));
        issues.Add(g);

        // 105: in Sprint 1 from creation (before its start), done inside it.
        var d = New("105", "ENG-5", T0, Done);
        d.Fields[SprintField] = new JsonArray(SprintJson(Sprint1));
        d.Fields[PointsField] = 3;
        d.Changes.Add(new Change("5001", D(10), "u1", StatusItem(ToDo, Done)));
        d.StatusTimeline.AddRange([(ToDo, T0, null), (Done, D(10), "u1")]);
        issues.Add(d);

        // 106: added to Sprint 1 before its start, not done at its completion: carried over to Sprint 2 ("1" → "1, 2").
        var e = New("106", "ENG-6", T0, ToDo);
        e.Fields[SprintField] = new JsonArray(SprintJson(Sprint1), SprintJson(Sprint2));
        e.Fields[PointsField] = 5;
        e.Changes.Add(new Change("6001", H(12), "u1", Item("Sprint", SprintField, null, null, "1", "Sprint 1", "custom")));
        e.Changes.Add(new Change("6002", D(15), null, Item("Sprint", SprintField, "1", "Sprint 1", "1, 2", "Sprint 1, Sprint 2", "custom")));
        e.StatusTimeline.Add((ToDo, T0, null));
        issues.Add(e);

        // 107: created after Sprint 1 started, added to it a day later, removed two days after that; its severity changed.
        var f = New("107", "ENG-7", D(3), ToDo);
        f.Fields[SprintField] = new JsonArray();
        f.Fields[PointsField] = 2;
        f.Fields[SeverityField] = new JsonObject { ["id"] = "20002", ["value"] = "High" };
        f.Changes.Add(new Change("7001", D(4), "u2", Item("Sprint", SprintField, null, null, "1", "Sprint 1", "custom"),
            Item("Severity", SeverityField, "20001", "Low", "20002", "High", "custom")));
        f.Changes.Add(new Change("7002", D(6), "u2", Item("Sprint", SprintField, "1", "Sprint 1", null, null, "custom")));
        f.StatusTimeline.Add((ToDo, D(3), null));
        issues.Add(f);

        // 109: created In Progress and never changed: its only status period comes from the current value.
        var n = New("109", "ENG-9", H(7), InProgress);
        n.StatusTimeline.Add((InProgress, H(7), null));
        issues.Add(n);

        // 108: deleted in the second run.
        var h = New("108", "ENG-8", T0, InProgress);
        h.Changes.Add(new Change("8001", H(4), "u1", StatusItem(ToDo, InProgress)));
        h.StatusTimeline.AddRange([(ToDo, T0, null), (InProgress, H(4), "u1")]);
        issues.Add(h);

        return issues;
    }

    /// <summary>The issues SCHEMA: fields flattened, each field column described with the field's name as Jira's
    /// field list gives it (the severity field is called <paramref name="severityName"/>).</summary>
    public static SchemaMessage IssuesSchema(string severityName)
    {
        var fieldProps = new JsonObject
        {
            ["created"] = new JsonObject { ["type"] = new JsonArray("null", "string"), ["format"] = "date-time", ["description"] = "Created" },
            ["status"] = new JsonObject { ["type"] = new JsonArray("null", "object"), ["description"] = "Status" },
            ["assignee"] = new JsonObject { ["type"] = new JsonArray("null", "object"), ["description"] = "Assignee" },
            ["labels"] = new JsonObject { ["type"] = new JsonArray("null", "array"), ["description"] = "Labels" },
            ["components"] = new JsonObject { ["type"] = new JsonArray("null", "array"), ["description"] = "Components" },
            [SprintField] = new JsonObject { ["type"] = new JsonArray("null", "array"), ["description"] = "Sprint" },
            [PointsField] = new JsonObject { ["type"] = new JsonArray("null", "number"), ["description"] = "Story Points" },
            [SeverityField] = new JsonObject { ["type"] = new JsonArray("null", "object"), ["description"] = severityName },
        };
        var props = new JsonObject
        {
            ["id"] = new JsonObject { ["type"] = new JsonArray("null", "string") },
            ["key"] = new JsonObject { ["type"] = new JsonArray("null", "string") },
            ["fields"] = new JsonObject { ["type"] = new JsonArray("null", "object"), [SchemaHints.Flatten] = true, ["properties"] = fieldProps },
        };
        return new SchemaMessage("issues", new JsonObject { ["type"] = "object", ["properties"] = props }, ["id"], []);
    }

    public static SchemaMessage ChangelogsSchema() => new("changelogs", new JsonObject
    {
        ["type"] = "object",
        ["properties"] = JsonNode.Parse("""
            {"id":{"type":["null","string"]},"issueId":{"type":["null","string"]},"author":{"type":["null","object"]},
             "created":{"type":["null","string"],"format":"date-time"},"items":{"type":["null","array"]}}
            """),
    }, ["id"], []);

    public static RecordMessage IssueRecord(Issue i, DateTimeOffset? deletedAt = null)
    {
        var r = new JsonObject { ["id"] = i.Id, ["key"] = i.Key, ["fields"] = i.Fields.DeepClone() };
        if (deletedAt is { } at) r["_sdc_deleted_at"] = SingerTime.Format(at);
        return new RecordMessage("issues", r, DateTimeOffset.UtcNow, null);
    }

    public static RecordMessage ChangelogRecord(Issue i, Change c)
    {
        var r = new JsonObject
        {
            ["id"] = c.Id, ["issueId"] = i.Id, ["created"] = SingerTime.Format(c.At),
            ["author"] = c.Author is null ? null : User(c.Author),
            ["items"] = new JsonArray(c.Items.Select(x => (JsonNode)x.DeepClone()).ToArray()),
        };
        return new RecordMessage("changelogs", r, DateTimeOffset.UtcNow, null);
    }
}
