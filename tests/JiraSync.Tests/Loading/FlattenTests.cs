using System.Text.Json.Nodes;
using JiraSync.Loading;
using JiraSync.Logging;
using JiraSync.Singer;
using static JiraSync.Tests.Loading.Messages;

namespace JiraSync.Tests.Loading;

/// <summary>An object property marked x-jirasync-flatten: one typed column per declared sub-property, beside the JSON column.</summary>
public class FlattenTests
{
    public static TheoryData<string> Sql => new() { "duckdb", "postgres" };

    private static string Props(string fieldProps) =>
        """{"id":{"type":"string"},"fields":{"type":["null","object"],"x-jirasync-flatten":true,"patternProperties":{".+":{}},"properties":{"""
        + fieldProps + "}}}";

    private const string Declared = """
        "customfield_1":{"type":["null","number"],"description":"Story Points"},
        "duedate":{"type":["null","string"],"format":"date","description":"Due date"},
        "created":{"type":["null","string"],"format":"date-time"},
        "summary":{"type":["null","string"]},
        "status":{"type":["null","object"],"description":"Status"},
        "customfield_2":{"description":"Anything"}
        """;

    private static async Task<(LoadReport Report, MemoryLog Log)> LoadAsync(TestDatabase db, LoadOptions? options, params SingerMessage[] messages)
    {
        var log = new MemoryLog();
        await using var destination = await db.OpenAsync(log);
        return (await new Loader(destination, log, options).LoadAsync(Stream(messages)), log);
    }

    [Fact]
    public void The_mapping_is_resolved_from_the_schema_once()
    {
        var table = TableSchema.From(Schema("issues", Props(Declared), "id"));
        Assert.Equal(["id", "fields", "fields__customfield_1", "fields__duedate", "fields__created", "fields__summary", "fields__status", "fields__customfield_2"],
            table.Columns.Select(c => c.Name));
        Assert.Equal([ColumnType.Text, ColumnType.Json, ColumnType.Double, ColumnType.Date, ColumnType.Timestamp, ColumnType.Text, ColumnType.Json, ColumnType.Json],
            table.Columns.Select(c => c.Type));
        Assert.Equal(new ColumnSource("fields", "customfield_1"), table.Column("fields__customfield_1")!.From);
        Assert.Equal("Story Points", table.Column("fields__customfield_1")!.Description);
        Assert.Null(table.Column("fields")!.From);
    }

    [Fact]
    public void Without_the_hint_an_object_stays_one_json_column()
    {
        var table = TableSchema.From(Schema("issues", Props(Declared).Replace("\"x-jirasync-flatten\":true,", ""), "id"));
        Assert.Equal(["id", "fields"], table.Columns.Select(c => c.Name));
    }

    [Fact]
    public void A_top_level_property_of_the_same_name_wins_and_over_long_names_are_skipped()
    {
        var longId = "customfield_" + new string('9', 60);
        var props = Props($"\"x\":{{\"type\":\"string\"}},\"{longId}\":{{\"type\":\"string\"}}")[..^1] // reopen the root object
            + ",\"fields__x\":{\"type\":\"integer\"}}";
        var table = TableSchema.From(Schema("issues", props, "id"));
        Assert.Equal(ColumnType.BigInt, table.Column("fields__x")!.Type);
        Assert.Null(table.Column("fields__x")!.From);
        Assert.DoesNotContain(table.Columns, c => c.Name.Contains(longId));
    }

    [Theory, MemberData(nameof(Sql))]
    public async Task Declared_fields_land_in_typed_commented_columns_and_the_json_column_stays(string kind)
    {
        await using var db = new TestDatabase(kind);
        await LoadAsync(db, new LoadOptions { ValidateRecords = true },
            Schema("issues", Props(Declared), "id"),
            Record("issues", """{"id":"1","fields":{"customfield_1":5.5,"duedate":"2024-06-30","created":"2024-05-01T10:00:00.000+0200","summary":"Hi","status":{"name":"Done"},"customfield_2":7,"customfield_9":"undeclared"}}"""),
            Record("issues", """{"id":"2","fields":{"summary":"no other field"}}"""),
            Record("issues", """{"id":"3"}"""));

        var types = await db.ColumnTypesAsync("issues");
        Assert.Equal(kind == "postgres" ? "double precision" : "double", types["fields__customfield_1"]);
        Assert.Equal("date", types["fields__duedate"]);
        Assert.Equal("timestamp with time zone", types["fields__created"]);
        Assert.Equal(kind == "postgres" ? "jsonb" : "json", types["fields__status"]);
        Assert.DoesNotContain("fields__customfield_9", types.Keys); // undeclared: only in the JSON
        Assert.Equal("Story Points", await db.ColumnCommentAsync("issues", "fields__customfield_1"));

        var rows = await db.QueryAsync("""
            SELECT "id", "fields__customfield_1" AS n, CAST("fields__duedate" AS VARCHAR) AS d, CAST("fields__created" AS VARCHAR) AS c,
                   "fields__summary" AS s, CAST("fields__status" AS VARCHAR) AS st, CAST("fields__customfield_2" AS VARCHAR) AS a,
                   CAST("fields" AS VARCHAR) AS f
            FROM "issues" ORDER BY "id"
            """);
        Assert.Equal(5.5, rows[0]["n"]);
        Assert.Equal("2024-06-30", rows[0]["d"]);
        Assert.StartsWith("2024-05-01 08:00:00", (string)rows[0]["c"]!);
        Assert.Equal("Hi", rows[0]["s"]);
        Assert.Equal("Done", JsonNode.Parse((string)rows[0]["st"]!)!["name"]!.GetValue<string>());
        Assert.Equal("7", rows[0]["a"]);
        Assert.Equal("undeclared", JsonNode.Parse((string)rows[0]["f"]!)!["customfield_9"]!.GetValue<string>());
        Assert.Equal("no other field", rows[1]["s"]);
        Assert.Null(rows[1]["n"]);
        Assert.Null(rows[2]["s"]); // no fields object at all: every flattened column is null
        Assert.Null(rows[2]["f"]);
    }

    [Theory, MemberData(nameof(Sql))]
    public async Task A_value_that_does_not_fit_widens_its_column_to_text_and_loses_no_row(string kind)
    {
        await using var db = new TestDatabase(kind);
        // Jira declared the field a number; one issue carries text. Rows before it are in the same batch.
        // Validation (target mode) lets it through: below a flattened object the types are column hints.
        var (report, log) = await LoadAsync(db, new LoadOptions { ValidateRecords = true },
            Schema("issues", Props(Declared), "id"),
            Record("issues", """{"id":"1","fields":{"customfield_1":3}}"""),
            Record("issues", """{"id":"2","fields":{"customfield_1":"three and a half"}}"""),
            Record("issues", """{"id":"3","fields":{"customfield_1":4.5,"created":"not a date"}}"""),
            State("""{"bookmarks":{"issues":"x"}}"""));

        Assert.Equal(3, report.Streams["issues"].Inserted);
        var types = await db.ColumnTypesAsync("issues");
        Assert.Equal(kind == "postgres" ? "text" : "varchar", types["fields__customfield_1"]);
        Assert.Equal(kind == "postgres" ? "text" : "varchar", types["fields__created"]);
        Assert.Equal("date", types["fields__duedate"]); // only the columns that met a misfit widen
        var rows = await db.QueryAsync("""SELECT "id", "fields__customfield_1" AS n, "fields__created" AS c FROM "issues" ORDER BY "id" """);
        Assert.Equal(["1", "2", "3"], rows.Select(r => (string)r["id"]!));
        Assert.Equal(3.0, double.Parse((string)rows[0]["n"]!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("three and a half", rows[1]["n"]);
        Assert.Equal("4.5", rows[2]["n"]);
        Assert.Equal("not a date", rows[2]["c"]);
        Assert.Contains(log.Lines, l => l.Contains("widening column 'fields__customfield_1' to text"));

        // The next run's SCHEMA still says number: the column stays text and a number still loads.
        await LoadAsync(db, null,
            Schema("issues", Props(Declared), "id"),
            Record("issues", """{"id":"4","fields":{"customfield_1":8}}"""));
        Assert.Equal("8", await db.ScalarAsync("""SELECT "fields__customfield_1" FROM "issues" WHERE "id" = '4'"""));
    }

    [Theory, MemberData(nameof(Sql))]
    public async Task A_field_declared_in_a_later_schema_adds_its_column(string kind)
    {
        await using var db = new TestDatabase(kind);
        await LoadAsync(db, null,
            Schema("issues", Props("\"summary\":{\"type\":[\"null\",\"string\"]}"), "id"),
            Record("issues", """{"id":"1","fields":{"summary":"old","customfield_7":2}}"""));
        await LoadAsync(db, null,
            Schema("issues", Props("\"summary\":{\"type\":[\"null\",\"string\"]},\"customfield_7\":{\"type\":[\"null\",\"number\"],\"description\":\"Risk\"}"), "id"),
            Record("issues", """{"id":"2","fields":{"summary":"new","customfield_7":9}}"""));
        var rows = await db.QueryAsync("""SELECT "id", "fields__summary" AS s, "fields__customfield_7" AS r FROM "issues" ORDER BY "id" """);
        Assert.Equal(["1:old:", "2:new:9"], rows.Select(r => $"{r["id"]}:{r["s"]}:{r["r"]}"));
        Assert.Equal("Risk", await db.ColumnCommentAsync("issues", "fields__customfield_7"));
    }
}
