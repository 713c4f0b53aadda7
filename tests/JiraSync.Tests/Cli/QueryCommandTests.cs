using System.Text.Json;
using JiraSync.Tests.Loading;
using JiraSync.Tests.Support;

namespace JiraSync.Tests.Cli;

/// <summary>`jirasync query` as a user runs it, on tables written with plain SQL (not through the loader), so the
/// expected values come from the test, not from the code under test.</summary>
public class QueryCommandTests
{
    private static async Task<TestDatabase> SeedAsync(string kind)
    {
        var db = new TestDatabase(kind);
        await using var c = await db.ConnectAsync();
        var json = kind == "postgres" ? "jsonb" : "JSON";
        if (kind == "postgres")
        {
            await using var schema = c.CreateCommand();
            schema.CommandText = $"CREATE SCHEMA \"{db.Schema}\"";
            await schema.ExecuteNonQueryAsync();
        }
        await using var cmd = c.CreateCommand();
        cmd.CommandText = $"""
            CREATE TABLE issues ("key" text, points double precision, status {json}, updated timestamptz, due date);
            INSERT INTO issues VALUES ('ENG-1', 5, '{"{"}"name":"Done"{"}"}', '2026-01-02 03:04:05+00', '2026-02-01'),
                                      ('ENG-2', NULL, '{"{"}"name":"To Do, soon"{"}"}', '2026-01-03 00:00:00+00', NULL),
                                      ('ENG-3', 13, '{"{"}"name":"Done"{"}"}', '2026-01-04 12:00:00+00', NULL);
            CREATE TABLE empty_table (id bigint);
            CREATE VIEW done_issues AS SELECT "key" FROM issues WHERE status->>'name' = 'Done';
            """;
        await cmd.ExecuteNonQueryAsync();
        return db;
    }

    [Theory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task Query_prints_csv_json_and_a_table_and_lists_tables_and_views(string kind)
    {
        await using var db = await SeedAsync(kind);
        const string sql = "SELECT \"key\", points, status, updated, due FROM issues ORDER BY \"key\"";

        var csv = await CliRunner.RunAsync("query", "--destination", db.Uri, sql);   // stdout is a pipe: CSV by default
        Assert.Equal(0, csv.ExitCode);
        Assert.Equal(
            """
            key,points,status,updated,due
            ENG-1,5,"{""name"":""Done""}",2026-01-02T03:04:05Z,2026-02-01
            ENG-2,,"{""name"":""To Do, soon""}",2026-01-03T00:00:00Z,
            ENG-3,13,"{""name"":""Done""}",2026-01-04T12:00:00Z,
            """.ReplaceLineEndings("\n"),
            csv.StdOut.TrimEnd('\n').Replace("\"\": \"\"", "\"\":\"\"")); // jsonb's text has a space after the colon

        var json = await CliRunner.RunAsync("query", "--destination", db.Uri, "--format", "json", sql);
        Assert.Equal(0, json.ExitCode);
        var rows = JsonDocument.Parse(json.StdOut).RootElement.EnumerateArray().ToList();
        Assert.Equal(["ENG-1", "ENG-2", "ENG-3"], rows.Select(r => r.GetProperty("key").GetString()));
        Assert.Equal(13, rows[2].GetProperty("points").GetDouble());
        Assert.Equal(JsonValueKind.Null, rows[1].GetProperty("points").ValueKind);
        Assert.Equal("To Do, soon", rows[1].GetProperty("status").GetProperty("name").GetString()); // a JSON column is JSON, not a string
        Assert.Equal("2026-01-02T03:04:05Z", rows[0].GetProperty("updated").GetString());

        var table = await CliRunner.RunAsync(["query", "--destination", db.Uri, "--format", "table", "SELECT \"key\", points FROM issues ORDER BY \"key\""],
            env: new Dictionary<string, string> { ["COLUMNS"] = "80" });
        Assert.Equal(0, table.ExitCode);
        var lines = table.StdOut.Split('\n');
        Assert.Contains(lines, l => l.Contains("│ ENG-3 │") && l.TrimEnd().EndsWith("13 │"));
        Assert.Contains("3 row(s)", table.StdOut);
        Assert.DoesNotContain("\u001b[", table.StdOut);

        var list = await CliRunner.RunAsync("query", "--destination", db.Uri, "--format", "json");
        Assert.Equal(0, list.ExitCode);
        var tables = JsonDocument.Parse(list.StdOut).RootElement.EnumerateArray()
            .ToDictionary(t => t.GetProperty("name").GetString()!, t => (Type: t.GetProperty("type").GetString(), Rows: t.GetProperty("rows")));
        Assert.Equal(["done_issues", "empty_table", "issues"], tables.Keys.Order());
        Assert.Equal(("table", 3), (tables["issues"].Type, tables["issues"].Rows.GetInt32()));
        Assert.Equal(0, tables["empty_table"].Rows.GetInt32());
        Assert.Equal(("view", JsonValueKind.Null), (tables["done_issues"].Type, tables["done_issues"].Rows.ValueKind));
    }

    [Theory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task A_bad_query_is_one_line_from_the_database_with_exit_2_and_nothing_is_written(string kind)
    {
        await using var db = await SeedAsync(kind);
        var typo = await CliRunner.RunAsync("query", "--destination", db.Uri, "SELEC 1");
        Assert.Equal(2, typo.ExitCode);
        Assert.Single(typo.StdErr.Trim().Split('\n'));
        Assert.Contains("error: query failed:", typo.StdErr);
        Assert.Contains("syntax error", typo.StdErr);

        var missing = await CliRunner.RunAsync("query", "--destination", db.Uri, "SELECT * FROM no_such_table");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("no_such_table", missing.StdErr);

        var write = await CliRunner.RunAsync("query", "--destination", db.Uri, "DELETE FROM issues");
        Assert.Equal(2, write.ExitCode);
        Assert.Contains("read-only", write.StdErr.Replace("read only", "read-only"));
        Assert.Equal(3L, Convert.ToInt64(await db.ScalarAsync("SELECT count(*) FROM issues")));
    }

    [Fact]
    public async Task A_missing_duckdb_file_is_exit_2_and_is_not_created()
    {
        var file = Path.Combine(Path.GetTempPath(), "jirasync-nofile-" + Guid.NewGuid().ToString("N") + ".duckdb");
        var result = await CliRunner.RunAsync("query", "--destination", "duckdb:" + file, "SELECT 1");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no DuckDB file at", result.StdErr);
        Assert.False(File.Exists(file));
    }

    [Fact]
    public async Task A_jsonl_folder_is_queried_through_duckdb_read_json_one_view_per_file()
    {
        var dir = Directory.CreateTempSubdirectory("jirasync-query-jsonl-").FullName;
        await File.WriteAllTextAsync(Path.Combine(dir, "issues.jsonl"),
            "{\"id\":\"1\",\"key\":\"A-1\",\"fields\":{\"points\":3}}\n{\"id\":\"2\",\"key\":\"A-2\",\"fields\":{\"points\":5},\"_sdc_deleted_at\":null}\n");
        await File.WriteAllTextAsync(Path.Combine(dir, "issues.schema.json"), "{}");
        var sum = await CliRunner.RunAsync("query", "--destination", "jsonl:" + dir, "SELECT count(*) AS n, sum(CAST(fields.points AS INTEGER)) AS points FROM issues");
        Assert.Equal(0, sum.ExitCode);
        Assert.Equal("n,points\n2,8\n", sum.StdOut);
        var list = await CliRunner.RunAsync("query", "--destination", "jsonl:" + dir, "--format", "csv");
        Assert.Equal("name,type,rows\nissues,view,\n", list.StdOut);
    }
}

/// <summary>The newcomer's walk-through: `jirasync demo`, then `jirasync query` in the same folder.</summary>
public class QueryAfterDemoTests
{
    [Fact]
    public async Task After_the_demo_query_without_a_destination_reads_the_demo_file()
    {
        var dir = Directory.CreateTempSubdirectory("jirasync-demo-query-").FullName;
        var demo = await CliRunner.RunAsync(["demo", "--issues-per-project", "7"], workingDirectory: dir);
        Assert.Equal(0, demo.ExitCode);
        Assert.Contains("jirasync query \"SELECT", demo.StdOut);

        var result = await CliRunner.RunAsync(["query", "SELECT (SELECT count(*) FROM issues) AS issues, (SELECT count(*) FROM projects) AS projects"], workingDirectory: dir);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("querying the demo's jirasync-demo.duckdb", result.StdErr);
        var values = result.StdOut.Split('\n')[1].Split(',').Select(int.Parse).ToArray();
        Assert.True(values[1] > 0);
        Assert.Equal(7 * values[1], values[0]);
        Assert.False(File.Exists(Path.Combine(dir, "jirasync.duckdb")));

        // `runs` next: the demo keeps no history; one line says so and what records runs, still exit 2 (nothing to show).
        var runs = await CliRunner.RunAsync(["runs"], workingDirectory: dir);
        Assert.Equal(2, runs.ExitCode);
        var line = Assert.Single(runs.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("jirasync-demo.duckdb keeps no run history", line);
        Assert.Contains("jirasync sync --config", line);
        Assert.False(File.Exists(Path.Combine(dir, "jirasync.duckdb")));
    }
}
