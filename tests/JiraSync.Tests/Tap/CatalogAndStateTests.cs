using System.Text.Json.Nodes;
using JiraSync.Singer;
using JiraSync.Streams;

namespace JiraSync.Tests.Tap;

public class CatalogAndStateTests
{
    [Fact]
    public void Discovery_offers_tap_jiras_thirteen_streams_with_their_keys_and_metadata()
    {
        var catalog = Discovery.BuildCatalog(isServer: false);
        var expected = new Dictionary<string, string[]>
        {
            ["projects"] = ["id"], ["versions"] = ["id"], ["components"] = ["id"], ["project_types"] = ["key"],
            ["project_categories"] = ["id"], ["resolutions"] = ["id"], ["roles"] = ["id"], ["users"] = ["accountId"],
            ["issues"] = ["id"], ["issue_comments"] = ["id"], ["changelogs"] = ["id"], ["issue_transitions"] = ["id", "issueId"],
            ["worklogs"] = ["id"],
        };
        Assert.Equal(expected.Keys.Order(), catalog.Streams.Select(s => s.TapStreamId).Order());
        foreach (var entry in catalog.Streams)
        {
            Assert.Equal(expected[entry.TapStreamId], entry.KeyProperties);
            var root = entry.Metadata.Get([])!;
            Assert.Equal(expected[entry.TapStreamId], root["table-key-properties"]!.AsArray().Select(n => (string)n!));
            var incremental = entry.TapStreamId is "issues" or "issue_comments" or "changelogs" or "issue_transitions" or "worklogs";
            Assert.Equal(incremental ? "INCREMENTAL" : "FULL_TABLE", (string?)root["forced-replication-method"]);
            Assert.NotNull(root["valid-replication-keys"]);
            Assert.NotNull(root["selected-by-default"]);
            var parent = entry.TapStreamId switch
            {
                "versions" or "components" => "projects",
                "issue_comments" or "changelogs" or "issue_transitions" => "issues",
                _ => null,
            };
            Assert.Equal(parent, (string?)root["parent-tap-stream-id"]);
            // Exactly one root breadcrumb, one per property, automatic iff key or replication key.
            Assert.Single(entry.Metadata.Entries, e => e.Breadcrumb.Count == 0);
            var automatic = expected[entry.TapStreamId].Concat(((JsonArray)root["valid-replication-keys"]!).Select(n => (string)n!)).ToHashSet();
            foreach (var (crumb, md) in entry.Metadata.Entries.Where(e => e.Breadcrumb.Count > 0))
                Assert.Equal(automatic.Contains(crumb[1]) ? "automatic" : "available", (string?)md["inclusion"]);
            Assert.Equal(((JsonObject)entry.Schema["properties"]!).Count, entry.Metadata.Entries.Count(e => e.Breadcrumb.Count == 2));
            // Below the issues' fields object, one breadcrumb per declared field, so each can be deselected.
            var fields = entry.Schema["properties"]!["fields"]?["properties"] as JsonObject;
            Assert.Equal(fields?.Count ?? 0, entry.Metadata.Entries.Count(e => e.Breadcrumb.Count == 4));
        }
        Assert.Equal(["key"], Discovery.BuildCatalog(isServer: true).Find("users")!.KeyProperties);
    }

    [Fact]
    public void Schemas_are_supersets_of_tap_jiras_declared_properties()
    {
        // A sample of tap-jira's declarations (shared/reference/tap-jira-streams.md), with types.
        var declared = new (string Stream, string Property, string Type)[]
        {
            ("projects", "projectKeys", "array"), ("projects", "roles", "object"), ("versions", "projectId", "integer"),
            ("versions", "userReleaseDate", "string"), ("components", "issueCount", "integer"), ("roles", "id", "integer"),
            ("users", "accountType", "string"), ("issues", "fields", "object"), ("issues", "versionedRepresentations", "object"),
            ("issue_comments", "jsdPublic", "boolean"), ("changelogs", "historyMetadata", "object"),
            ("issue_transitions", "isConditional", "boolean"), ("worklogs", "timeSpentSeconds", "integer"),
            ("issues", "_sdc_deleted_at", "string"), ("worklogs", "_sdc_deleted_at", "string"),
        };
        foreach (var (stream, property, type) in declared)
        {
            var schema = SchemaStore.Get(StreamRegistry.Get(stream));
            var types = schema["properties"]![property]!["type"]!.AsArray().Select(t => (string)t!).ToList();
            Assert.Contains(type, types);
            Assert.Contains("null", types);
        }
    }

    private static Catalog CatalogWith(string stream, params (string Field, bool Selected)[] fields)
    {
        var catalog = Discovery.BuildCatalog(false);
        var entry = catalog.Find(stream)!;
        entry.Metadata.Set([], "selected", true);
        foreach (var (f, s) in fields) entry.Metadata.Set(["properties", f], "selected", s);
        return catalog;
    }

    [Fact]
    public void Field_selection_drops_deselected_fields_from_records_and_schema_but_never_keys()
    {
        var catalog = CatalogWith("issues", ("key", false), ("id", false), ("renderedFields", false));
        var plan = StreamPlan.Build(StreamRegistry.Get("issues"), catalog.Find("issues"), false);
        var record = new JsonObject { ["id"] = "1", ["key"] = "A-1", ["renderedFields"] = new JsonObject(), ["self"] = "x" };
        plan.Fields.ApplyToRecord(record);
        Assert.Equal(["id", "self"], record.Select(p => p.Key).Order());
        var props = (JsonObject)plan.Schema["properties"]!;
        Assert.False(props.ContainsKey("key"));
        Assert.True(props.ContainsKey("id"));
    }

    [Fact]
    public void Tap_jira_selection_format_is_honoured()
    {
        // singer-python: a stream is selected by metadata "selected": true (or "true"), or the legacy schema.selected.
        var json = """
        {"streams":[
          {"tap_stream_id":"projects","stream":"projects","schema":{"type":["null","object"],"properties":{"id":{"type":["null","string"]}}},
           "metadata":[{"breadcrumb":[],"metadata":{"selected":"true"}}]},
          {"tap_stream_id":"roles","stream":"roles","schema":{"selected":true,"properties":{}},"metadata":[]},
          {"tap_stream_id":"users","stream":"users","schema":{},"metadata":[{"breadcrumb":[],"metadata":{"selected":false}}]},
          {"tap_stream_id":"issues","stream":"issues","schema":{},"metadata":[{"breadcrumb":[],"metadata":{"inclusion":"available"}}]}
        ]}
        """;
        var catalog = Catalog.Parse(json, "catalog c.json");
        CatalogValidator.Validate(catalog, "catalog c.json");
        Assert.True(catalog.Find("projects")!.IsSelected);
        Assert.True(catalog.Find("roles")!.IsSelected);
        Assert.False(catalog.Find("users")!.IsSelected);
        Assert.False(catalog.Find("issues")!.IsSelected);
        // Round trip keeps everything.
        var again = Catalog.FromJson(catalog.ToJson(), "again");
        Assert.True(again.Find("projects")!.IsSelected);
    }

    [Theory]
    [InlineData("""{"streams":[{"tap_stream_id":"boards","schema":{},"metadata":[]}]}""", "catalog c.json: unknown stream 'boards'")]
    [InlineData("""{"streams":[{"tap_stream_id":"issues","schema":{},"metadata":[{"breadcrumb":["properties","summary"],"metadata":{"selected":true}}]}]}""", "catalog c.json: stream 'issues' has no field 'summary'")]
    [InlineData("""{"nostreams":[]}""", "catalog c.json: not a Singer catalog")]
    public void Bad_catalogs_are_named(string json, string expected)
    {
        var ex = Assert.Throws<SingerFormatException>(() => CatalogValidator.Validate(Catalog.Parse(json, "catalog c.json"), "catalog c.json"));
        Assert.StartsWith(expected, ex.Message);
    }

    [Fact]
    public void Nested_fields_under_an_open_object_are_accepted()
    {
        var json = """{"streams":[{"tap_stream_id":"issues","schema":{},"metadata":[{"breadcrumb":["properties","fields","properties","customfield_10010"],"metadata":{"selected":false}}]}]}""";
        var catalog = Catalog.Parse(json, "c");
        CatalogValidator.Validate(catalog, "c");
        var plan = StreamPlan.Build(StreamRegistry.Get("issues"), catalog.Find("issues"), false);
        var record = new JsonObject { ["id"] = "1", ["fields"] = new JsonObject { ["customfield_10010"] = 3, ["summary"] = "s" } };
        plan.Fields.ApplyToRecord(record);
        Assert.Equal(["summary"], record["fields"]!.AsObject().Select(p => p.Key));
    }

    [Theory]
    [InlineData("""{"bookmarks":{"issues":{"updated":"yesterday"}}}""", "state s.json: bookmarks.issues.updated 'yesterday' is not a date")]
    [InlineData("""{"bookmarks":[]}""", "state s.json: \"bookmarks\" is not an object")]
    [InlineData("""{"bookmarks":{"issues":3}}""", "state s.json: bookmarks.issues is not an object")]
    [InlineData("""{"bookmarks":{},"currently_syncing":5}""", "state s.json: \"currently_syncing\" is not a stream name")]
    public void Bad_states_are_named(string json, string expected)
    {
        var ex = Assert.Throws<SingerFormatException>(() => TapState.FromJson(JsonNode.Parse(json)!.AsObject(), "state s.json"));
        Assert.Equal(expected, ex.Message);
    }

    [Fact]
    public void A_tap_jira_state_and_a_whole_STATE_message_are_accepted()
    {
        var s = TapState.FromJson(JsonNode.Parse("""{"currently_syncing":"issues","bookmarks":{"issues":{"updated":"2024-01-01T00:00:00Z","offset":{"page_num":3}},"worklogs":{"updated":"2024-01-02T00:00:00.000000Z"}}}""")!.AsObject());
        Assert.Equal("issues", s.CurrentlySyncing);
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 0, 0, 0, TimeSpan.Zero), s.Get("worklogs", Bookmarks.Updated));
        var wrapped = TapState.FromJson(JsonNode.Parse("""{"type":"STATE","value":{"bookmarks":{"issues":{"updated":"2024-01-01T00:00:00Z"}}}}""")!.AsObject());
        Assert.NotNull(wrapped.Get("issues", Bookmarks.Updated));
    }
}
