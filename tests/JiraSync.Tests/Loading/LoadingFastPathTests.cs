using System.Data.Common;
using System.Text;
using System.Text.Json.Nodes;
using JiraSync.Errors;
using JiraSync.Loading;
using JiraSync.Loading.Destinations;
using JiraSync.Loading.Destinations.DuckDb;
using JiraSync.Logging;
using JiraSync.Singer;
using static JiraSync.Tests.Loading.Messages;

namespace JiraSync.Tests.Loading;

/// <summary>The bulk-loading path of `target`: UTF-8 lines parsed once, records converted to column values from the
/// parsed input, batches bounded by the bytes they hold, and DuckDB's loading settings.</summary>
public class LoadingFastPathTests
{
    private static async Task<List<SingerMessage>> ReadBytesAsync(byte[] input)
    {
        var read = new List<SingerMessage>();
        await foreach (var m in new SingerReader(new MemoryStream(input), "stdin").ReadAllAsync()) read.Add(m);
        return read;
    }

    [Fact]
    public async Task Byte_reader_handles_crlf_a_byte_order_mark_a_missing_last_newline_and_lines_longer_than_its_buffer()
    {
        var summary = new string('x', 200_000) + " Grüße ✓";
        var text = "\uFEFF{\"type\":\"SCHEMA\",\"stream\":\"s\",\"schema\":{\"properties\":{\"id\":{\"type\":\"string\"}}},\"key_properties\":[\"id\"]}\r\n"
                   + "\r\n"
                   + $"{{\"type\":\"RECORD\",\"stream\":\"s\",\"record\":{{\"id\":\"1\",\"summary\":\"{summary}\"}},\"version\":3}}\r\n"
                   + "{\"type\":\"STATE\",\"value\":{\"n\":1}}";
        var read = await ReadBytesAsync(Encoding.UTF8.GetBytes(text));

        Assert.Equal(["id"], Assert.IsType<SchemaMessage>(read[0]).KeyProperties);
        var record = Assert.IsType<RecordMessage>(read[1]);
        Assert.Equal(summary, (string?)record.Record["summary"]);
        Assert.Equal(summary, record.Parsed!.Value.GetProperty("summary").GetString());
        Assert.Equal(3, record.Version);
        Assert.Equal(1, (int)Assert.IsType<StateMessage>(read[2]).Value["n"]!);
        Assert.Equal(3, read.Count);
    }

    [Fact]
    public async Task Byte_reader_names_the_line_of_a_malformed_message_and_reads_invalid_utf8_as_a_text_decoder_does()
    {
        var schema = "{\"type\":\"SCHEMA\",\"stream\":\"s\",\"schema\":{\"properties\":{}},\"key_properties\":[]}\n";
        var bytes = Encoding.UTF8.GetBytes(schema + "{\"type\":\"RECORD\",\"stream\":\"s\",\"record\":{\"a\":\"b?\"}}\n").ToList();
        bytes[bytes.LastIndexOf((byte)'?')] = 0xFF; // not UTF-8
        var record = Assert.IsType<RecordMessage>((await ReadBytesAsync([.. bytes]))[1]);
        Assert.Equal("b\uFFFD", (string?)record.Record["a"]);

        var ex = await Assert.ThrowsAsync<SingerFormatException>(() => ReadBytesAsync(Encoding.UTF8.GetBytes(schema + "\n{\"type\":\"STATE\",\"value\":{}} trailing\n")));
        Assert.StartsWith("stdin line 3: not JSON", ex.Message);
    }

    [Fact]
    public void Parsed_records_give_the_same_column_values_as_record_trees_with_json_columns_as_the_input_text()
    {
        var schema = Schema("issues", """
            {"id":{"type":"string"},"n":{"type":["null","integer"]},"x":{"type":"number"},"ok":{"type":"boolean"},
             "at":{"type":"string","format":"date-time"},"day":{"type":"string","format":"date"},
             "fields":{"type":"object","x-jirasync-flatten":true,"properties":{"summary":{"type":"string"},"labels":{"type":"array"},"points":{"type":"number"}}},
             "extra":{}}
            """, "id");
        var table = TableSchema.From(schema);
        Assert.Contains(table.Columns, c => c.Name == "fields__summary"); // the hint flattens, as the tap declares it
        const string json = """{"id":"7","n":5,"x":1.5,"ok":true,"at":"2024-05-01T10:00:00.000+0200","day":"2024-05-02","fields":{"summary":"Grüße","labels":["a","ü"],"points":3},"extra":{"k":[1,2]},"undeclared":1}""";
        var parsed = System.Text.Json.JsonDocument.Parse(json).RootElement;
        var fromParsed = RowValues.Data(table, parsed);
        var fromTree = RowValues.Data(table, JsonNode.Parse(json)!.AsObject());

        string Cell(object?[] row, string column) => Convert.ToString(row[table.Columns.ToList().FindIndex(c => c.Name == column)], System.Globalization.CultureInfo.InvariantCulture)!;
        Assert.Equal("7", Cell(fromParsed, "id"));
        Assert.Equal(5L, fromParsed[table.Columns.ToList().FindIndex(c => c.Name == "n")]);
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 8, 0, 0, TimeSpan.Zero), fromParsed[table.Columns.ToList().FindIndex(c => c.Name == "at")]);
        Assert.Equal(new DateOnly(2024, 5, 2), fromParsed[table.Columns.ToList().FindIndex(c => c.Name == "day")]);
        Assert.Equal("Grüße", Cell(fromParsed, "fields__summary"));
        Assert.Equal("""["a","ü"]""", Cell(fromParsed, "fields__labels"));
        Assert.Equal("""{"summary":"Grüße","labels":["a","ü"],"points":3}""", Cell(fromParsed, "fields"));
        Assert.Equal("""{"k":[1,2]}""", Cell(fromParsed, "extra"));
        // The tree path (sync) writes JSON as the tap does, so both paths store the same text.
        Assert.Equal(fromTree, fromParsed);
    }

    [Fact]
    public void A_value_that_does_not_fit_its_column_names_the_record_and_the_column()
    {
        var table = TableSchema.From(Schema("s", """{"id":{"type":"string"},"n":{"type":"integer"}}""", "id"));
        var ex = Assert.Throws<InvalidMessageException>(() => RowValues.Data(table, System.Text.Json.JsonDocument.Parse("""{"id":"9","n":"many"}""").RootElement));
        Assert.Equal("""RECORD for stream 's' ("9") does not fit column 'n': expected an integer, got "many" """.TrimEnd(), ex.Message);
    }

    [Fact]
    public void Validation_of_a_parsed_record_reports_the_first_violation_with_its_path()
    {
        var schema = JsonNode.Parse("""{"properties":{"items":{"type":"array","items":{"type":"object","required":["field"],"properties":{"to":{"type":["null","string"],"format":"date-time"}}}}}}""")!.AsObject();
        string? Check(string json) => RecordValidator.Validate(schema, System.Text.Json.JsonDocument.Parse(json).RootElement);
        Assert.Null(Check("""{"items":[{"field":"a","to":null},{"field":"b","to":"2024-01-01T00:00:00Z"}]}"""));
        Assert.Equal("property 'items[1].field': is required but missing", Check("""{"items":[{"field":"a"},{"to":null}]}"""));
        Assert.Equal("property 'items[0].to': \"soon\" is not a valid date-time", Check("""{"items":[{"field":"a","to":"soon"}]}"""));
        Assert.Equal("property 'items': expected array, got an object", Check("""{"items":{}}"""));
    }

    [Fact]
    public async Task A_batch_commits_when_its_rows_hold_the_memory_budget()
    {
        await using var db = new TestDatabase("duckdb");
        var big = new string('b', 100_000); // 200 KB a row as UTF-16 text
        var messages = new List<SingerMessage> { Schema("issues", """{"id":{"type":"string"},"body":{"type":"string"}}""", "id") };
        for (var i = 0; i < 20; i++)
        {
            messages.Add(Record("issues", new JsonObject { ["id"] = $"{i}", ["body"] = big }.ToJsonString()));
            messages.Add(State($$"""{"n":{{i}}}"""));
        }
        var committed = new List<int>();
        await using (var destination = await db.OpenAsync())
        {
            var loader = new Loader(destination, new MemoryLog(), new LoadOptions { MemoryBudgetBytes = 1_000_000, Pipelined = false });
            loader.StateCommitted += s => committed.Add((int)s["n"]!);
            await loader.LoadAsync(Stream([.. messages]));
        }
        // 1 MB holds five 200 KB rows: each batch commits at the STATE after its fifth row.
        Assert.Equal([4, 9, 14, 19], committed);
        Assert.Equal(20, (await db.QueryAsync("SELECT id FROM issues")).Count);
    }

    [Fact]
    public void Duckdb_settings_follow_the_path_and_bad_ones_are_refused_in_one_line()
    {
        var d = DestinationUri.Parse("duckdb:data/jira.duckdb?memory_limit=1GB&threads=2&checkpoint_threshold=64MB");
        Assert.Equal(("duckdb", "data/jira.duckdb", "duckdb:data/jira.duckdb"), (d.Scheme, d.Target, d.ToString()));
        Assert.Equal(new DuckDbSettings("1GB", 2, "64MB"), d.Settings);
        Assert.Equal(DuckDbSettings.Default, DestinationUri.Parse("duckdb:jira.duckdb").Settings);

        Assert.Contains("unknown DuckDB option 'memory'", Assert.Throws<ConfigException>(() => DestinationUri.Parse("duckdb:j.duckdb?memory=1GB")).Message);
        Assert.Contains("memory_limit 'lots' is not a size", Assert.Throws<ConfigException>(() => DestinationUri.Parse("duckdb:j.duckdb?memory_limit=lots")).Message);
        Assert.Contains("threads '0' is not a whole number from 1 to 1024", Assert.Throws<ConfigException>(() => DestinationUri.Parse("duckdb:j.duckdb?threads=0")).Message);
    }

    [Theory]
    [InlineData("memory_limit=999999999999999999999GB", "memory_limit '999999999999999999999GB' is out of range; give a size from 1B to 1TiB")]
    [InlineData("checkpoint_threshold=999999999999999999999GB", "checkpoint_threshold '999999999999999999999GB' is out of range")]
    [InlineData("memory_limit=9999999999GB", "memory_limit '9999999999GB' is out of range")]
    [InlineData("memory_limit=1.1TiB", "memory_limit '1.1TiB' is out of range")]
    [InlineData("memory_limit=0MB", "memory_limit '0MB' is out of range")]
    [InlineData("memory_limit=1PB", "memory_limit '1PB' is not a size; give a size from 1B to 1TiB with a unit B, KB, MB, GB, TB, KiB, MiB, GiB or TiB")]
    [InlineData("threads=100000", "threads '100000' is not a whole number from 1 to 1024")]
    [InlineData("threads=2&threads=3", "DuckDB option 'threads' is given more than once")]
    [InlineData("memory_limit=1GB&MEMORY_LIMIT=2GB", "DuckDB option 'memory_limit' is given more than once")]
    public void Duckdb_settings_out_of_range_or_repeated_are_refused_naming_the_option(string options, string expected) =>
        Assert.Contains(expected, Assert.Throws<ConfigException>(() => DestinationUri.Parse("duckdb:j.duckdb?" + options)).Message);

    [Fact]
    public void Duckdb_sizes_up_to_one_tebibyte_and_1024_threads_are_accepted()
    {
        // 1 TiB = 2^40 bytes = 1,099,511,627,776 B; 1 TB (10^12 B) is below it.
        Assert.Equal(new DuckDbSettings("1TiB", 1024, "1TB"), DestinationUri.Parse("duckdb:j.duckdb?memory_limit=1TiB&threads=1024&checkpoint_threshold=1TB").Settings);
        Assert.Equal(1_099_511_627_776L, DuckDbSettings.SizeBytes("1TiB"));
        Assert.Equal(1_500_000_000L, DuckDbSettings.SizeBytes("1.5GB"));
        Assert.Equal(512L * 1024 * 1024, DuckDbSettings.SizeBytes("512mib"));
        Assert.Null(DuckDbSettings.SizeBytes("1PB"));
    }

    /// <summary>Reads DuckDB's settings on the loading connection itself, after a load.</summary>
    private sealed class SettingsProbe : ISqlBatchHook
    {
        public string? MemoryLimit, Threads, AllocatorBackgroundThreads;
        public Task AfterBatchWrittenAsync(SqlBatchContext context, CancellationToken ct) => Task.CompletedTask;
        public async Task AfterLoadAsync(SqlLoadContext context, CancellationToken ct)
        {
            await using DbCommand cmd = context.Connection.CreateCommand();
            cmd.CommandText = "SELECT current_setting('memory_limit'), CAST(current_setting('threads') AS VARCHAR), CAST(current_setting('allocator_background_threads') AS VARCHAR)";
            await using var r = await cmd.ExecuteReaderAsync(ct);
            await r.ReadAsync(ct);
            (MemoryLimit, Threads, AllocatorBackgroundThreads) = (r.GetString(0), r.GetString(1), r.GetString(2));
        }
    }

    [Fact]
    public async Task Duckdb_loads_with_the_settings_given_and_into_the_file_named_before_them()
    {
        await using var db = new TestDatabase("duckdb");
        var probe = new SettingsProbe();
        await using (var destination = await DestinationUri.Parse(db.Uri + "?memory_limit=300MB&threads=1").OpenAsync(new MemoryLog()))
            await new Loader(destination, new MemoryLog(), new LoadOptions { SqlBatchHooks = [probe] })
                .LoadAsync(Stream(Schema("issues", """{"id":{"type":"string"}}""", "id"), Record("issues", """{"id":"1"}""")));
        Assert.Equal("1", probe.Threads);
        Assert.Equal("true", probe.AllocatorBackgroundThreads); // DuckDB's default is false (README: memory and DuckDB settings)
        Assert.Matches(@"^(286\.1 MiB|300\.0 MB)$", probe.MemoryLimit);
        Assert.Single(await db.QueryAsync("SELECT id FROM issues"));
    }

    [Fact]
    public async Task A_batch_larger_than_duckdbs_memory_limit_fails_in_one_line_naming_the_option_and_keeps_earlier_batches()
    {
        await using var db = new TestDatabase("duckdb");
        await using (var destination = await DestinationUri.Parse(db.Uri).OpenAsync(new MemoryLog()))
            await new Loader(destination, new MemoryLog()).LoadAsync(Stream(Schema("issues", """{"id":{"type":"string"},"body":{"type":"string"}}""", "id"),
                Record("issues", """{"id":"first"}"""), State("""{"n":1}""")));

        var text = new string('t', 20_000);
        var messages = new List<SingerMessage> { Schema("issues", """{"id":{"type":"string"},"body":{"type":"string"}}""", "id") };
        for (var i = 0; i < 2_000; i++) messages.Add(Record("issues", new JsonObject { ["id"] = $"{i}", ["body"] = text + i }.ToJsonString()));
        messages.Add(State("""{"n":2}"""));
        RunFailedException ex;
        await using (var destination = await DestinationUri.Parse(db.Uri + "?memory_limit=4MB").OpenAsync(new MemoryLog()))
            ex = await Assert.ThrowsAsync<RunFailedException>(() => new Loader(destination, new MemoryLog(), new LoadOptions { MemoryBudgetBytes = 1L << 30 }).LoadAsync(Stream([.. messages])));
        Assert.StartsWith("DuckDB needs more than its memory_limit of 4MB for batch 1", ex.Message);
        Assert.Contains("memory_limit=1GB", ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.Equal(["first"], (await db.QueryAsync("SELECT id FROM issues")).Select(r => (string)r["id"]!));
    }

    [Fact]
    public async Task A_memory_limit_too_small_to_start_fails_in_one_line_naming_the_destination_option()
    {
        await using var db = new TestDatabase("duckdb");
        var ex = await Assert.ThrowsAsync<RunFailedException>(async () =>
        {
            await using var destination = await DestinationUri.Parse(db.Uri + "?memory_limit=10KB").OpenAsync(new MemoryLog());
            await new Loader(destination, new MemoryLog()).LoadAsync(Stream(Schema("issues", """{"id":{"type":"string"}}""", "id"),
                Record("issues", """{"id":"1"}"""), State("""{"n":1}""")));
        });
        Assert.StartsWith("DuckDB needs more than its memory_limit of 10KB ", ex.Message);
        Assert.Contains($"give a larger one with ?memory_limit= in the destination, e.g. --destination '{db.Uri}?memory_limit=1GB'", ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.DoesNotContain("SET memory_limit", ex.Message);
        Assert.Equal(1, ex.ExitCode);
    }
}
