using System.Text;
using System.Text.Json.Nodes;
using JiraSync.Singer;

namespace JiraSync.Tests.Tap;

public class SingerFormatTests
{
    [Fact]
    public async Task Writer_output_reads_back_as_the_same_messages()
    {
        var at = new DateTimeOffset(2024, 5, 1, 10, 5, 33, 123, TimeSpan.Zero);
        var messages = new SingerMessage[]
        {
            new SchemaMessage("issues", new JsonObject { ["type"] = "object" }, ["id"], ["updated"]),
            new RecordMessage("issues", new JsonObject { ["id"] = "1", ["summary"] = "Grüße ✓" }, at, 7),
            new StateMessage(new JsonObject { ["bookmarks"] = new JsonObject() }),
            new ActivateVersionMessage("issues", 7),
        };
        var ms = new MemoryStream();
        using (var w = new SingerWriter(ms)) foreach (var m in messages) w.Write(m);
        var text = Encoding.UTF8.GetString(ms.ToArray());
        Assert.Equal(4, text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("\"time_extracted\":\"2024-05-01T10:05:33.123000Z\"", text);
        Assert.Contains("Grüße ✓", text);

        var read = new List<SingerMessage>();
        await foreach (var m in new SingerReader(new StringReader(text)).ReadAllAsync()) read.Add(m);
        Assert.Equal(4, read.Count);
        var rec = Assert.IsType<RecordMessage>(read[1]);
        Assert.Equal(at, rec.TimeExtracted);
        Assert.Equal(7, rec.Version);
        Assert.Equal("Grüße ✓", (string?)rec.Record["summary"]);
        Assert.Equal(["updated"], Assert.IsType<SchemaMessage>(read[0]).BookmarkProperties);
    }

    [Theory]
    [InlineData("{\"type\":\"RECORD\",\"stream\":\"x\",\"record\":{}}", "line 1: RECORD for stream 'x' before its SCHEMA")]
    [InlineData("not json", "line 1: not JSON")]
    [InlineData("[1,2]", "line 1: not a JSON object")]
    [InlineData("{\"stream\":\"x\"}", "line 1: message has no \"type\"")]
    [InlineData("{\"type\":\"STATE\",\"value\":3}", "line 1: STATE value is not a JSON object")]
    [InlineData("{\"type\":\"ACTIVATE_VERSION\",\"stream\":\"x\",\"version\":\"v\"}", "line 1: \"version\" is not an integer")]
    public async Task Reader_names_the_line_and_the_problem(string line, string expected)
    {
        var reader = new SingerReader(new StringReader(line), "stdin");
        var ex = await Assert.ThrowsAsync<SingerFormatException>(async () => { await foreach (var _ in reader.ReadAllAsync()) { } });
        Assert.StartsWith("stdin " + expected, ex.Message);
        Assert.Equal(2, ex.ExitCode);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public async Task Reader_counts_lines_skips_blank_lines_and_unknown_types_and_reads_types_case_insensitively()
    {
        var text = "\n{\"type\":\"schema\",\"stream\":\"s\",\"schema\":{},\"key_properties\":[]}\n{\"type\":\"BATCH\"}\n{\"type\":\"record\",\"stream\":\"s\",\"record\":{\"a\":1}}\n{broken";
        var reader = new SingerReader(new StringReader(text), "input.jsonl");
        var seen = new List<SingerMessage>();
        var ex = await Assert.ThrowsAsync<SingerFormatException>(async () => { await foreach (var m in reader.ReadAllAsync()) seen.Add(m); });
        Assert.Equal(2, seen.Count);
        Assert.Equal(1, reader.UnknownMessagesSkipped);
        Assert.StartsWith("input.jsonl line 5: not JSON", ex.Message);
    }

    [Theory]
    [InlineData("2024-01-15T10:20:30.123+0000", "2024-01-15T10:20:30.123000Z")]
    [InlineData("2022-06-09T16:29:31.871-0700", "2022-06-09T23:29:31.871000Z")]
    [InlineData("2010-07-06", "2010-07-06T00:00:00.000000Z")]
    [InlineData("2024-05-01T10:00:00+02:00", "2024-05-01T08:00:00.000000Z")]
    public void Jira_dates_become_singer_utc(string jira, string singer) => Assert.Equal(singer, SingerTime.Normalize(jira));
}
