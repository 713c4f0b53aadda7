using System.Text.Json.Nodes;

namespace JiraSync.Tests.Tap;

/// <summary>The test-side record check (JsonSchema.Net) finds what Singer targets would refuse.</summary>
public class SchemaValidatorTests
{
    private static readonly JsonObject Schema = JsonNode.Parse("""
        {"type":"object","properties":{
          "id":{"type":["null","string"]},
          "updated":{"type":["null","string"],"format":"date-time"},
          "n":{"type":["null","integer"]},
          "items":{"type":["null","array"],"items":{"type":"string"}}},
         "x-jirasync-children":[{"stream":"c","parent_key":"id","foreign_key":"pid"}]}
        """)!.AsObject();

    [Fact]
    public void A_conforming_record_has_no_problem()
    {
        Assert.Empty(SchemaValidator.Validate(JsonNode.Parse("""{"id":"1","updated":"2024-01-15T10:20:30.123000Z","n":3,"items":["a"]}"""), Schema));
    }

    [Theory]
    [InlineData("""{"updated":"2024-01-15 10:20"}""", "/updated")]
    [InlineData("""{"n":"three"}""", "/n")]
    [InlineData("""{"n":1.5}""", "/n")]
    [InlineData("""{"items":["a",2]}""", "/items/1")]
    public void A_wrong_value_is_named_by_its_location(string record, string location)
    {
        var problems = SchemaValidator.Validate(JsonNode.Parse(record), Schema, "issues");
        Assert.Contains(problems, p => p.StartsWith("issues" + location + ":", StringComparison.Ordinal));
    }
}
