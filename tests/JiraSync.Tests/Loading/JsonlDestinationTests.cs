using JiraSync.Loading.Destinations.Jsonl;
using System.Text.Json.Nodes;
using JiraSync.Loading;
using JiraSync.Logging;
using static JiraSync.Tests.Loading.Messages;

namespace JiraSync.Tests.Loading;

public class JsonlDestinationTests
{
    [Fact]
    public async Task Records_are_appended_per_stream_with_sdc_fields_and_state_after_them()
    {
        await using var db = new TestDatabase("jsonl");
        await using (var d = await db.OpenAsync())
            await new Loader(d, new MemoryLog()).LoadAsync(Stream(
                Schema("issues", """{"id":{"type":"string"},"n":{"type":"integer"}}""", "id"),
                Record("issues", """{"id":"1","n":1}"""),
                Record("issues", """{"id":"2","n":2,"_sdc_deleted_at":"2024-05-02T00:00:00Z"}"""),
                State("""{"bookmarks":{"issues":{"updated":"x"}}}""")));
        var dir = db.Uri["jsonl:".Length..];
        var lines = File.ReadAllLines(Path.Combine(dir, "issues.jsonl")).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(["1", "2"], lines.Select(l => l["id"]!.GetValue<string>()).Order());
        Assert.All(lines, l => Assert.NotNull(l["_sdc_extracted_at"]));
        Assert.Equal("2024-05-02T00:00:00.000000Z", lines.Single(l => l["id"]!.GetValue<string>() == "2")["_sdc_deleted_at"]!.GetValue<string>());
        await using var reopened = await db.OpenAsync();
        Assert.Equal("x", (await reopened.ReadStateAsync())!["bookmarks"]!["issues"]!["updated"]!.GetValue<string>());
    }

    [Fact]
    public async Task Reopening_cuts_off_lines_written_after_the_last_commit()
    {
        await using var db = new TestDatabase("jsonl");
        await using (var d = await db.OpenAsync())
            await new Loader(d, new MemoryLog()).LoadAsync(Stream(
                Schema("issues", """{"id":{"type":"string"}}""", "id"), Record("issues", """{"id":"1"}"""), State("""{"n":1}""")));
        var file = Path.Combine(db.Uri["jsonl:".Length..], "issues.jsonl");
        var committed = File.ReadAllText(file);
        File.AppendAllText(file, "{\"id\":\"2\"}\n{\"id\":\"3\",\"trunc"); // what a killed process may leave behind
        var log = new MemoryLog();
        await using (var d = await db.OpenAsync(log)) { }
        Assert.Equal(committed, File.ReadAllText(file));
        Assert.Contains(log.Lines, l => l.Contains("interrupted run"));
    }
}
