using System.Text.Json.Nodes;
using JiraSync.Errors;
using JiraSync.Loading;
using JiraSync.Logging;
using JiraSync.Singer;
using static JiraSync.Tests.Loading.Messages;

namespace JiraSync.Tests.Loading;

/// <summary>The loader on real DuckDB files and a real PostgreSQL schema, fed hand-made message sequences.</summary>
public class LoaderTests
{
    public static TheoryData<string> Sql => new() { "duckdb", "postgres" };

    private const string IssueProps = """
        {"id":{"type":["null","string"]},"key":{"type":["null","string"],"description":"Issue key"},
         "updated":{"type":["null","string"],"format":"date-time"},"due":{"type":["null","string"],"format":"date"},
         "votes":{"type":["null","integer"]},"ratio":{"type":["null","number"]},"flag":{"type":["null","boolean"]},
         "fields":{"type":["null","object"]},"labels":{"type":["null","array"],"items":{"type":"string"}},
         "order":{"type":["null","string"]}}
        """;

    private static async Task<LoadReport> LoadAsync(TestDatabase db, LoadOptions? options, params SingerMessage[] messages)
    {
        await using var destination = await db.OpenAsync();
        return await new Loader(destination, new MemoryLog(), options).LoadAsync(Stream(messages));
    }

    [Theory, MemberData(nameof(Sql))]
    public async Task Scalars_become_typed_columns_objects_and_arrays_json(string kind)
    {
        await using var db = new TestDatabase(kind);
        await LoadAsync(db, null,
            Schema("issues", IssueProps, "id"),
            Record("issues", """{"id":"10001","key":"P-1","updated":"2024-05-01T10:00:00.000+0200","due":"2024-06-30","votes":3,"ratio":0.5,"flag":true,"fields":{"summary":"Hi","n":[1,2]},"labels":["a","b"],"order":"x"}"""));

        var types = await db.ColumnTypesAsync("issues");
        var expected = kind == "duckdb"
            ? new Dictionary<string, string> { ["id"] = "varchar", ["updated"] = "timestamp with time zone", ["due"] = "date", ["votes"] = "bigint", ["ratio"] = "double", ["flag"] = "boolean", ["fields"] = "json", ["labels"] = "json", ["order"] = "varchar" }
            : new Dictionary<string, string> { ["id"] = "text", ["updated"] = "timestamp with time zone", ["due"] = "date", ["votes"] = "bigint", ["ratio"] = "double precision", ["flag"] = "boolean", ["fields"] = "jsonb", ["labels"] = "jsonb", ["order"] = "text" };
        foreach (var (column, type) in expected) Assert.Equal(type, types[column]);
        foreach (var meta in new[] { "_sdc_extracted_at", "_sdc_batched_at", "_sdc_deleted_at", "_sdc_sequence", "_sdc_table_version" })
            Assert.True(types.ContainsKey(meta), meta);

        var row = (await db.QueryAsync("""SELECT "id", CAST("updated" AS VARCHAR) AS u, CAST("due" AS VARCHAR) AS d, "votes", "ratio", "flag", CAST("fields" AS VARCHAR) AS f, "order", CAST("_sdc_extracted_at" AS VARCHAR) AS e FROM "issues" """)).Single();
        Assert.Equal("10001", row["id"]);
        Assert.StartsWith("2024-05-01 08:00:00", (string)row["u"]!); // +0200 stored as the same instant, shown in UTC
        Assert.Equal("2024-06-30", row["d"]);
        Assert.Equal(3L, row["votes"]);
        Assert.Equal(0.5, row["ratio"]);
        Assert.Equal(true, row["flag"]);
        Assert.Equal("Hi", JsonNode.Parse((string)row["f"]!)!["summary"]!.GetValue<string>());
        Assert.Equal("x", row["order"]); // a reserved word works because identifiers are quoted
        Assert.StartsWith("2024-05-01 10:00:00", (string)row["e"]!);
    }

    [Theory, MemberData(nameof(Sql))]
    public async Task Column_and_table_comments_come_from_schema_descriptions(string kind)
    {
        await using var db = new TestDatabase(kind);
        var schema = Schema("issues", IssueProps, "id");
        schema.Schema["description"] = "Jira issues";
        await LoadAsync(db, null, schema);
        var sql = kind == "duckdb"
            ? "SELECT comment FROM duckdb_columns() WHERE table_name = 'issues' AND column_name = 'key'"
            : $"SELECT col_description('\"{db.Schema}\".\"issues\"'::regclass, (SELECT attnum FROM pg_attribute WHERE attrelid = '\"{db.Schema}\".\"issues\"'::regclass AND attname = 'key'))";
        Assert.Equal("Issue key", await db.ScalarAsync(sql));
        var tableSql = kind == "duckdb"
            ? "SELECT comment FROM duckdb_tables() WHERE table_name = 'issues'"
            : $"SELECT obj_description('\"{db.Schema}\".\"issues\"'::regclass, 'pg_class')";
        Assert.Equal("Jira issues", await db.ScalarAsync(tableSql));
    }

    [Theory, MemberData(nameof(Sql))]
    public async Task Records_are_upserted_on_the_key_across_batches_and_runs(string kind)
    {
        await using var db = new TestDatabase(kind);
        var first = await LoadAsync(db, new LoadOptions { BatchRows = 1 },
            Schema("comments", """{"issueId":{"type":"string"},"id":{"type":"string"},"body":{"type":["null","string"]}}""", "issueId", "id"),
            Record("comments", """{"issueId":"1","id":"a","body":"one"}"""),
            State("""{"bookmarks":{"comments":{"updated":"1"}}}"""),
            Record("comments", """{"issueId":"1","id":"b","body":"two"}"""),
            Record("comments", """{"issueId":"1","id":"a","body":"one, edited in the same batch"}"""),
            State("""{"bookmarks":{"comments":{"updated":"2"}}}"""));
        Assert.Equal(2, first.Streams["comments"].Inserted); // a (batch 1), b (batch 2)
        Assert.Equal(1, first.Streams["comments"].Updated);  // a again in batch 2, de-duplicated within it
        Assert.Equal(2, first.Batches);

        var second = await LoadAsync(db, null,
            Schema("comments", """{"issueId":{"type":"string"},"id":{"type":"string"},"body":{"type":["null","string"]}}""", "issueId", "id"),
            Record("comments", """{"issueId":"1","id":"a","body":"edited later"}"""),
            Record("comments", """{"issueId":"2","id":"a","body":"same id, other issue"}"""));
        Assert.Equal(1, second.Streams["comments"].Inserted);
        Assert.Equal(1, second.Streams["comments"].Updated);

        var rows = await db.QueryAsync("""SELECT "issueId", "id", "body" FROM "comments" ORDER BY 1, 2""");
        Assert.Equal(["1|a|edited later", "1|b|two", "2|a|same id, other issue"], rows.Select(r => $"{r["issueId"]}|{r["id"]}|{r["body"]}"));
    }

    [Theory, MemberData(nameof(Sql))]
    public async Task A_widened_type_widens_the_column_without_losing_rows(string kind)
    {
        await using var db = new TestDatabase(kind);
        await LoadAsync(db, null,
            Schema("t", """{"id":{"type":"string"},"n":{"type":["null","integer"]},"s":{"type":["null","boolean"]}}""", "id"),
            Record("t", """{"id":"1","n":7,"s":true}"""));
        await LoadAsync(db, null,
            Schema("t", """{"id":{"type":"string"},"n":{"type":["null","number"]},"s":{"type":["null","boolean","string"]}}""", "id"),
            Record("t", """{"id":"2","n":2.5,"s":"maybe"}"""));
        // A later schema that is narrower again must not narrow the column.
        await LoadAsync(db, null,
            Schema("t", """{"id":{"type":"string"},"n":{"type":["null","integer"]},"s":{"type":["null","boolean"]}}""", "id"),
            Record("t", """{"id":"3","n":4,"s":false}"""));

        var types = await db.ColumnTypesAsync("t");
        Assert.Contains(types["n"], new[] { "double", "double precision" });
        Assert.Contains(types["s"], new[] { "varchar", "text" });
        var rows = await db.QueryAsync("""SELECT "id", "n", "s" FROM "t" ORDER BY "id" """);
        Assert.Equal([7.0, 2.5, 4.0], rows.Select(r => Convert.ToDouble(r["n"])));
        Assert.Equal("maybe", rows[1]["s"]);
        Assert.Equal("false", rows[2]["s"]);
        Assert.Equal("true", rows[0]["s"]?.ToString()?.ToLowerInvariant() is "true" or "t" ? "true" : rows[0]["s"]);
    }

    [Theory, MemberData(nameof(Sql))]
    public async Task A_new_property_adds_a_column_and_keeps_existing_rows(string kind)
    {
        await using var db = new TestDatabase(kind);
        await LoadAsync(db, null,
            Schema("issues", """{"id":{"type":"string"},"summary":{"type":["null","string"]}}""", "id"),
            Record("issues", """{"id":"1","summary":"old"}"""));
        var report = await LoadAsync(db, null,
            Schema("issues", """{"id":{"type":"string"},"summary":{"type":["null","string"]}}""", "id"),
            Record("issues", """{"id":"2","summary":"before the field existed"}"""),
            Schema("issues", """{"id":{"type":"string"},"summary":{"type":["null","string"]},"customfield_10100":{"type":["null","number"]}}""", "id"),
            Record("issues", """{"id":"3","summary":"new","customfield_10100":5}"""));
        Assert.Equal(2, report.Streams["issues"].Inserted);
        var rows = await db.QueryAsync("""SELECT "id", "summary", "customfield_10100" FROM "issues" ORDER BY "id" """);
        Assert.Equal(["1:old:", "2:before the field existed:", "3:new:5"], rows.Select(r => $"{r["id"]}:{r["summary"]}:{r["customfield_10100"]}"));
    }

    [Theory, MemberData(nameof(Sql))]
    public async Task Only_properties_in_the_schema_get_columns(string kind)
    {
        await using var db = new TestDatabase(kind);
        await LoadAsync(db, null,
            Schema("issues", """{"id":{"type":"string"}}""", "id"),
            Record("issues", """{"id":"1","notSelected":"x"}"""));
        Assert.False((await db.ColumnTypesAsync("issues")).ContainsKey("notSelected"));
    }

    [Theory, MemberData(nameof(Sql))]
    public async Task Deleted_records_are_kept_and_marked_with_their_last_known_values(string kind)
    {
        await using var db = new TestDatabase(kind);
        await LoadAsync(db, null,
            Schema("worklogs", """{"id":{"type":"string"},"issueId":{"type":["null","string"]},"timeSpentSeconds":{"type":["null","integer"]}}""", "id"),
            Record("worklogs", """{"id":"w1","issueId":"10","timeSpentSeconds":60}"""),
            Record("worklogs", """{"id":"w2","issueId":"10","timeSpentSeconds":120}"""));
        var report = await LoadAsync(db, null,
            Schema("worklogs", """{"id":{"type":"string"},"issueId":{"type":["null","string"]},"timeSpentSeconds":{"type":["null","integer"]},"_sdc_deleted_at":{"type":["null","string"],"format":"date-time"}}""", "id"),
            Record("worklogs", """{"id":"w1","_sdc_deleted_at":"2024-05-02T00:00:00Z"}"""),
            Record("worklogs", """{"id":"w3","_sdc_deleted_at":"2024-05-02T00:00:00Z"}"""));
        Assert.Equal(2, report.Streams["worklogs"].MarkedDeleted);
        var rows = await db.QueryAsync("""SELECT "id", "issueId", "timeSpentSeconds", CAST("_sdc_deleted_at" AS VARCHAR) AS d FROM "worklogs" ORDER BY "id" """);
        Assert.Equal(3, rows.Count);
        Assert.Equal("10", rows[0]["issueId"]);
        Assert.Equal(60L, rows[0]["timeSpentSeconds"]);
        Assert.StartsWith("2024-05-02 00:00:00", (string)rows[0]["d"]!);
        Assert.Null(rows[1]["d"]);
        Assert.NotNull(rows[2]["d"]); // a deletion of a row never seen is still recorded
    }

    [Theory, MemberData(nameof(Sql))]
    public async Task Children_of_a_deleted_parent_are_marked_deleted_too(string kind)
    {
        await using var db = new TestDatabase(kind);
        LoadOptions? options = null;
        // The parent's SCHEMA names its children (the x-jirasync-children hint), as this tap's SCHEMA for issues does.
        const string children = """[{"stream":"issue_comments","parent_key":"id","foreign_key":"issueId"},{"stream":"worklogs","parent_key":"id","foreign_key":"issueId"}]""";
        await LoadAsync(db, options,
            WithHint(Schema("issues", """{"id":{"type":"string"},"key":{"type":["null","string"]}}""", "id"), "x-jirasync-children", children),
            Schema("issue_comments", """{"id":{"type":"string"},"issueId":{"type":["null","string"]}}""", "id"),
            Schema("worklogs", """{"id":{"type":"string"},"issueId":{"type":["null","string"]}}""", "id"),
            Record("issues", """{"id":"1","key":"P-1"}"""), Record("issues", """{"id":"2","key":"P-2"}"""),
            Record("issue_comments", """{"id":"c1","issueId":"1"}"""), Record("issue_comments", """{"id":"c2","issueId":"2"}"""),
            Record("worklogs", """{"id":"w1","issueId":"1"}"""));
        var report = await LoadAsync(db, options,
            WithHint(Schema("issues", """{"id":{"type":"string"},"key":{"type":["null","string"]}}""", "id"), "x-jirasync-children", children),
            Record("issues", """{"id":"1","_sdc_deleted_at":"2024-05-03T00:00:00Z"}"""));
        Assert.Equal(1, report.Streams["issue_comments"].MarkedDeleted);
        Assert.Equal(1, report.Streams["worklogs"].MarkedDeleted);
        var comments = await db.QueryAsync("""SELECT "id", CAST("_sdc_deleted_at" AS VARCHAR) AS d FROM "issue_comments" ORDER BY "id" """);
        Assert.StartsWith("2024-05-03", (string)comments[0]["d"]!);
        Assert.Null(comments[1]["d"]);
    }

    [Theory, MemberData(nameof(Sql))]
    public async Task Snapshot_children_not_resent_with_their_reextracted_parent_are_marked_deleted(string kind)
    {
        await using var db = new TestDatabase(kind);
        LoadOptions? options = null;
        const string issue = """{"id":{"type":"string"},"updated":{"type":["null","string"]}}""";
        const string children = """[{"stream":"issue_transitions","parent_key":"id","foreign_key":"issueId","resent_with_parent":true}]""";
        const string transition = """{"id":{"type":"string"},"issueId":{"type":"string"}}""";
        await LoadAsync(db, options,
            WithHint(Schema("issues", issue, "id"), "x-jirasync-children", children), Schema("issue_transitions", transition, "id", "issueId"),
            Record("issues", """{"id":"1","updated":"a"}"""), Record("issues", """{"id":"2","updated":"a"}"""),
            Record("issue_transitions", """{"id":"11","issueId":"1"}"""), Record("issue_transitions", """{"id":"21","issueId":"1"}"""),
            Record("issue_transitions", """{"id":"11","issueId":"2"}"""));
        // Issue 1 changed status: only transition 31 is offered now. Issue 2 was not re-extracted.
        await LoadAsync(db, options,
            WithHint(Schema("issues", issue, "id"), "x-jirasync-children", children), Schema("issue_transitions", transition, "id", "issueId"),
            Record("issues", """{"id":"1","updated":"b"}"""), Record("issue_transitions", """{"id":"31","issueId":"1"}"""));
        var live = await Tables.KeysAsync(db, "issue_transitions", ["id", "issueId"]);
        Assert.Equal(["11|2", "31|1"], live.Order());
        Assert.Equal(["11|1", "21|1"], (await Tables.KeysAsync(db, "issue_transitions", ["id", "issueId"], deleted: true)).Order());

        // Selecting issues alone leaves the transitions table as it was.
        await LoadAsync(db, options, WithHint(Schema("issues", issue, "id"), "x-jirasync-children", children), Record("issues", """{"id":"2","updated":"c"}"""));
        Assert.Contains("11|2", await Tables.KeysAsync(db, "issue_transitions", ["id", "issueId"]));
    }

    [Theory, MemberData(nameof(Sql))]
    public async Task Rows_missing_from_a_complete_version_cycle_are_marked_deleted(string kind)
    {
        await using var db = new TestDatabase(kind);
        const string props = """{"id":{"type":"string"},"name":{"type":["null","string"]}}""";
        await LoadAsync(db, null,
            Schema("projects", props, "id"),
            new ActivateVersionMessage("projects", 100),
            Record("projects", """{"id":"1","name":"a"}""", 100),
            Record("projects", """{"id":"2","name":"b"}""", 100),
            Record("projects", """{"id":"3","name":"c"}""", 100),
            new ActivateVersionMessage("projects", 100));
        var report = await LoadAsync(db, new LoadOptions { BatchRows = 1 },
            Schema("projects", props, "id"),
            Record("projects", """{"id":"1","name":"a2"}""", 200),
            State("""{"x":1}"""),
            Record("projects", """{"id":"3","name":"c"}""", 200),
            new ActivateVersionMessage("projects", 200));
        Assert.Equal(1, report.Streams["projects"].MarkedDeleted);
        var rows = await db.QueryAsync("""SELECT "id", "name", "_sdc_deleted_at" IS NOT NULL AS deleted FROM "projects" ORDER BY "id" """);
        Assert.Equal(["1:a2:False", "2:b:True", "3:c:False"], rows.Select(r => $"{r["id"]}:{r["name"]}:{r["deleted"]}"));
    }

    [Theory, MemberData(nameof(Sql))]
    public async Task State_is_stored_with_the_batch_and_read_back(string kind)
    {
        await using var db = new TestDatabase(kind);
        var committed = new List<string>();
        await using (var destination = await db.OpenAsync())
        {
            Assert.Null(await destination.ReadStateAsync());
            var loader = new Loader(destination, new MemoryLog(), new LoadOptions { BatchRows = 2 });
            loader.StateCommitted += s => committed.Add(s.ToJsonString());
            await loader.LoadAsync(Stream(
                Schema("t", """{"id":{"type":"string"}}""", "id"),
                Record("t", """{"id":"1"}"""), State("""{"n":1}"""),
                Record("t", """{"id":"2"}"""), State("""{"n":2}"""),
                Record("t", """{"id":"3"}"""), State("""{"n":3}""")));
        }
        Assert.Equal(["""{"n":2}""", """{"n":3}"""], committed);
        await using var reopened = await db.OpenAsync();
        Assert.Equal("""{"n":3}""", (await reopened.ReadStateAsync())!.ToJsonString());
    }

    [Theory, MemberData(nameof(Sql))]
    [InlineData("jsonl")]
    public async Task Each_source_keeps_its_own_state_in_a_shared_destination(string kind)
    {
        await using var db = new TestDatabase(kind);
        await using (var destination = await db.OpenAsync())
        {
            destination.StateKey = "https://a.example";
            await new Loader(destination, new MemoryLog()).LoadAsync(Stream(Schema("t", """{"id":{"type":"string"}}""", "id"), Record("t", """{"id":"1"}"""), State("""{"site":"a"}""")));
            destination.StateKey = "https://b.example";
            Assert.Null(await destination.ReadStateAsync());
            await new Loader(destination, new MemoryLog()).LoadAsync(Stream(Schema("t", """{"id":{"type":"string"}}""", "id"), Record("t", """{"id":"2"}"""), State("""{"site":"b"}""")));
        }
        await using var reopened = await db.OpenAsync();
        reopened.StateKey = "https://a.example";
        Assert.Equal("""{"site":"a"}""", (await reopened.ReadStateAsync())!.ToJsonString());
        reopened.StateKey = "https://b.example";
        Assert.Equal("""{"site":"b"}""", (await reopened.ReadStateAsync())!.ToJsonString());
    }

    [Fact]
    public void The_state_key_of_a_sync_is_its_site_and_project_partition()
    {
        var config = new JiraSync.Config.JiraSyncConfig { BaseUrl = new Uri("https://Acme.atlassian.net/"), Projects = ["xyz", "ABC"] };
        Assert.Equal("https://acme.atlassian.net projects=ABC,XYZ", JiraSync.Sync.SyncJob.StateKeyFor(config));
        Assert.Equal("https://acme.atlassian.net", JiraSync.Sync.SyncJob.StateKeyFor(config with { Projects = [] }));
    }

    [Theory, MemberData(nameof(Sql))]
    public async Task Nul_characters_are_dropped_and_a_literal_backslash_u0000_is_kept(string kind)
    {
        // PostgreSQL refuses NUL and DuckDB's appender cuts at it; the text "\u0000" (a backslash, then "u0000") is ordinary data.
        await using var db = new TestDatabase(kind);
        var record = new JsonObject { ["id"] = "1", ["key"] = "a\0b \\u0000", ["fields"] = new JsonObject { ["s"] = "c\0d \\u0000" } };
        await LoadAsync(db, null, Schema("issues", IssueProps, "id"), new RecordMessage("issues", record, Extracted, null));

        var row = (await db.QueryAsync("""SELECT "key", CAST("fields" AS VARCHAR) AS f FROM "issues" """)).Single();
        const string expected = "ab \\u0000";
        Assert.Equal(expected, row["key"]);
        Assert.Equal(expected.Replace('a', 'c').Replace('b', 'd'), JsonNode.Parse((string)row["f"]!)!["s"]!.GetValue<string>());
    }

    [Theory, MemberData(nameof(Sql))]
    public async Task A_failing_batch_leaves_neither_its_rows_nor_its_state(string kind)
    {
        await using var db = new TestDatabase(kind);
        await using (var destination = await db.OpenAsync())
        {
            var loader = new Loader(destination, new MemoryLog(), new LoadOptions { BatchRows = 2 });
            var error = await Assert.ThrowsAsync<InvalidMessageException>(() => loader.LoadAsync(Stream(
                Schema("a", """{"id":{"type":"string"}}""", "id"),
                Schema("b", """{"id":{"type":"string"},"n":{"type":["null","integer"]}}""", "id"),
                Record("a", """{"id":"1"}"""), Record("b", """{"id":"1","n":1}"""), State("""{"n":1}"""),
                Record("a", """{"id":"2"}"""), Record("b", """{"id":"2","n":"not a number"}"""), State("""{"n":2}"""))));
            Assert.Contains("'n'", error.Message);
            Assert.Contains("expected an integer", error.Message);
        }
        await using var reopened = await db.OpenAsync();
        Assert.Equal("""{"n":1}""", (await reopened.ReadStateAsync())!.ToJsonString());
        Assert.Equal(1L, Convert.ToInt64(await db.ScalarAsync("""SELECT count(*) FROM "a" """))); // "a" of batch 2 rolled back too
    }

    [Fact]
    public async Task A_record_before_its_schema_is_rejected()
    {
        await using var db = new TestDatabase("duckdb");
        await using var destination = await db.OpenAsync();
        var error = await Assert.ThrowsAsync<InvalidMessageException>(() =>
            new Loader(destination, new MemoryLog()).LoadAsync(Stream(Record("issues", """{"id":"1"}"""))));
        Assert.Contains("before its SCHEMA", error.Message);
    }

    [Fact]
    public async Task With_validation_a_record_violating_its_schema_is_rejected()
    {
        await using var db = new TestDatabase("duckdb");
        await using var destination = await db.OpenAsync();
        var error = await Assert.ThrowsAsync<InvalidMessageException>(() =>
            new Loader(destination, new MemoryLog(), new LoadOptions { ValidateRecords = true }).LoadAsync(Stream(
                Schema("issues", """{"id":{"type":"string"},"fields":{"type":"object","properties":{"votes":{"type":"integer"}}}}""", "id"),
                Record("issues", """{"id":"1","fields":{"votes":"many"}}"""))));
        Assert.Contains("'fields.votes'", error.Message);
        Assert.Contains("expected integer", error.Message);
    }
}
