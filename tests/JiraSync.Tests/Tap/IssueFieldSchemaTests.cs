using System.Text.Json;
using System.Text.Json.Nodes;
using JiraSync.Jira;
using JiraSync.Loading;
using JiraSync.Singer;
using JiraSync.Streams;
using JiraSync.Tests.Support;

namespace JiraSync.Tests.Tap;

/// <summary>The issues schema's "fields" properties, declared from Jira's field list (GET rest/api/2/field).</summary>
public class IssueFieldSchemaTests
{
    private static JiraField Field(string json) => JiraField.Parse(JsonDocument.Parse(json).RootElement)!;

    private static JsonObject PropertyOf(string type, string? items = null) =>
        IssueFieldSchema.PropertyFor(new JiraField("customfield_1", "My Field", true, type, items, null));

    [Theory]
    [InlineData("string", "[\"null\",\"string\"]", null, ColumnType.Text)]
    [InlineData("number", "[\"null\",\"number\"]", null, ColumnType.Double)]
    [InlineData("date", "[\"null\",\"string\"]", "date", ColumnType.Date)]
    [InlineData("datetime", "[\"null\",\"string\"]", "date-time", ColumnType.Timestamp)]
    [InlineData("option", "[\"null\",\"object\"]", null, ColumnType.Json)]
    [InlineData("user", "[\"null\",\"object\"]", null, ColumnType.Json)]
    [InlineData("array", "[\"null\",\"array\",\"object\"]", null, ColumnType.Json)]
    [InlineData("any", null, null, ColumnType.Json)]
    [InlineData("sd-feedback-from-some-app", null, null, ColumnType.Json)]
    public void Jira_field_types_map_to_json_schema_and_to_column_types(string type, string? jsonType, string? format, ColumnType column)
    {
        var p = PropertyOf(type);
        Assert.Equal(jsonType, p["type"]?.ToJsonString());
        Assert.Equal(format, (string?)p["format"]);
        Assert.Equal("My Field", (string?)p["description"]);
        Assert.Equal(column, JsonSchemaTypes.ColumnTypeOf(p));
    }

    [Fact]
    public void Arrays_declare_scalar_items_only()
    {
        Assert.Equal("""{"type":["null","string"]}""", PropertyOf("array", "string")["items"]!.ToJsonString());
        Assert.Null(PropertyOf("array", "option")["items"]);
        Assert.Null(PropertyOf("array", "json")["items"]);
    }

    [Fact]
    public void A_field_without_schema_may_hold_anything()
    {
        // fixtures/airbyte-cloud/issue_fields.json: "parent" has no schema at all.
        var fields = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Fixtures, "airbyte-cloud", "issue_fields.json"))).RootElement
            .EnumerateArray().Select(JiraField.Parse).ToList();
        Assert.Equal(["statuscategorychangedate", "issuetype", "parent"], fields.Select(f => f!.Id));
        var parent = IssueFieldSchema.PropertyFor(fields[2]!);
        Assert.Null(parent["type"]);
        Assert.Equal("Parent", (string?)parent["description"]);
        Assert.Equal("date-time", (string?)IssueFieldSchema.PropertyFor(fields[0]!)["format"]);
    }

    [Fact]
    public void The_issues_schema_gains_the_fields_keeps_its_own_and_stays_open()
    {
        var fields = new[]
        {
            Field("""{"id":"customfield_10010","name":"Story Points","custom":true,"schema":{"type":"number","custom":"com.atlassian.jira.plugin.system.customfieldtypes:float","customId":10010}}"""),
            Field("""{"id":"updated","name":"Updated","custom":false,"schema":{"type":"datetime","system":"updated"}}"""),
            Field("""{"id":"status","name":"Status","custom":false,"schema":{"type":"status","system":"status"}}"""),
        };
        var schema = IssueFieldSchema.SchemaOf(StreamRegistry.Get("issues"), fields);
        var fieldsSchema = schema["properties"]!["fields"]!.AsObject();
        Assert.True(SchemaHints.IsFlattened(fieldsSchema));
        Assert.NotNull(fieldsSchema["patternProperties"]); // keys Jira did not list still validate
        var props = fieldsSchema["properties"]!.AsObject();
        Assert.Equal("Story Points", (string?)props["customfield_10010"]!["description"]);
        Assert.Equal("""["null","number"]""", props["customfield_10010"]!["type"]!.ToJsonString());
        Assert.Equal("date-time", (string?)props["updated"]!["format"]); // the embedded definition stays, with the name added
        Assert.Equal("Updated", (string?)props["updated"]!["description"]);
        Assert.NotNull(props["attachment"]); // embedded properties Jira did not list stay too

        // Other streams are untouched; without a field list the embedded schema is returned as it is.
        Assert.Equal(SchemaStore.Get(StreamRegistry.Get("worklogs")).ToJsonString(), IssueFieldSchema.SchemaOf(StreamRegistry.Get("worklogs"), fields).ToJsonString());
        Assert.Equal(SchemaStore.Get(StreamRegistry.Get("issues")).ToJsonString(), IssueFieldSchema.SchemaOf(StreamRegistry.Get("issues"), null).ToJsonString());

        // A record with a value the declared types allow, and one with an undeclared key, both validate.
        var record = JsonNode.Parse("""{"id":"1","fields":{"customfield_10010":3.5,"status":{"name":"Done"},"customfield_99999":"x"}}""")!.AsObject();
        Assert.Null(RecordValidator.Validate(schema, record));
    }

    [Fact]
    public async Task Discovery_declares_every_simulator_field_and_lets_each_be_deselected()
    {
        await using var h = await TapHarness.StartAsync();
        var config = h.Config;
        using var client = new JiraClient(config, new JiraSync.Logging.MemoryLog());
        var catalog = await new TapRunner(client, config, new JiraSync.Logging.MemoryLog()).DiscoverAsync();
        var issues = catalog.Find("issues")!;
        var props = issues.Schema["properties"]!["fields"]!["properties"]!.AsObject();
        var custom = h.Simulator.Control.Read(s => s.CustomFields.ToList());
        Assert.NotEmpty(custom);
        foreach (var f in custom)
        {
            Assert.Equal(f.Name, (string?)props[f.Id]?["description"]);
            Assert.Equal("available", (string?)issues.Metadata.Get(["properties", "fields", "properties", f.Id])?["inclusion"]);
        }
        Assert.Equal("Status", (string?)props["status"]?["description"]);
    }

    [Fact]
    public async Task A_field_added_after_discovery_is_in_the_runs_schema_and_a_deselected_one_is_not()
    {
        await using var h = await TapHarness.StartAsync();
        var config = h.Config;
        using var client = new JiraClient(config, new JiraSync.Logging.MemoryLog());
        var catalog = await new TapRunner(client, config, new JiraSync.Logging.MemoryLog()).DiscoverAsync();
        foreach (var e in catalog.Streams) e.Metadata.Set([], "selected", e.TapStreamId == "issues");
        var dropped = h.Simulator.Control.Read(s => s.CustomFields.First().Id);
        catalog.Find("issues")!.Metadata.Set(["properties", "fields", "properties", dropped], "selected", false);
        // The catalog is written and read back, as a user's file would be.
        var path = h.WriteFile("catalog.json", catalog.ToJson().ToJsonString());
        var added = h.Simulator.Control.AddCustomField("Added Later", "datetime");

        var run = await h.RunAsync(Catalog.Load(path), stopAfterRecords: 1);
        var schema = run.Messages.OfType<SchemaMessage>().Single(s => s.Stream == "issues").Schema;
        var props = schema["properties"]!["fields"]!["properties"]!.AsObject();
        Assert.Equal("Added Later", (string?)props[added]?["description"]);
        Assert.Equal("date-time", (string?)props[added]?["format"]);
        Assert.False(props.ContainsKey(dropped));
        Assert.False(run.RecordsOf("issues").First().Record["fields"]!.AsObject().ContainsKey(dropped));
    }
}
