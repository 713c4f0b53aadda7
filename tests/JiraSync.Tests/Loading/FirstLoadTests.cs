using JiraSync.Loading;
using JiraSync.Logging;
using Npgsql;
using static JiraSync.Tests.Loading.Messages;

namespace JiraSync.Tests.Loading;

/// <summary>A first load into empty tables (PostgreSQL COPYs such rows straight into the tables, with no staging or
/// upsert): records re-sent in a later batch of the same load, children not re-sent with their parent, deletion
/// notices, and another process inserting one of the keys meanwhile give the same rows as the upsert path.</summary>
public class FirstLoadTests
{
    public static TheoryData<string> Sql => new() { "duckdb", "postgres" };

    private const string Issue = """{"id":{"type":"string"},"updated":{"type":["null","string"]}}""";
    private const string Children = """[{"stream":"issue_transitions","parent_key":"id","foreign_key":"issueId","resent_with_parent":true}]""";
    private const string Transition = """{"id":{"type":"string"},"issueId":{"type":"string"},"name":{"type":["null","string"]}}""";

    [Theory, MemberData(nameof(Sql))]
    public async Task A_parent_resent_later_in_a_first_load_updates_its_row_and_marks_the_children_it_no_longer_has(string kind)
    {
        await using var db = new TestDatabase(kind);
        await using var destination = await db.OpenAsync();
        var report = await new Loader(destination, new MemoryLog(), new LoadOptions { BatchRows = 1 }).LoadAsync(Stream(
            WithHint(Schema("issues", Issue, "id"), "x-jirasync-children", Children), Schema("issue_transitions", Transition, "id", "issueId"),
            Record("issues", """{"id":"1","updated":"a"}"""), Record("issues", """{"id":"2","updated":"a"}"""),
            Record("issue_transitions", """{"id":"11","issueId":"1","name":"Start"}"""), Record("issue_transitions", """{"id":"21","issueId":"1","name":"Stop"}"""),
            Record("issue_transitions", """{"id":"11","issueId":"2","name":"Start"}"""),
            State("""{"n":1}"""),
            // Issue 1 changed while the load ran: sent again with one transition kept, one new, one gone.
            Record("issues", """{"id":"1","updated":"b"}"""), Record("issues", """{"id":"3","updated":"b"}"""),
            Record("issue_transitions", """{"id":"11","issueId":"1","name":"Start again"}"""), Record("issue_transitions", """{"id":"31","issueId":"1","name":"Reopen"}"""),
            State("""{"n":2}""")));

        Assert.True(report.Batches >= 2, $"{report.Batches} batches"); // the re-sent issue is in a later batch than its first rows
        Assert.Equal(3, report.Streams["issues"].Inserted);
        Assert.Equal(1, report.Streams["issues"].Updated);
        Assert.Equal(1, report.Streams["issue_transitions"].MarkedDeleted);
        var issues = await db.QueryAsync("""SELECT "id", "updated" FROM "issues" ORDER BY "id" """);
        Assert.Equal(["1:b", "2:a", "3:b"], issues.Select(r => $"{r["id"]}:{r["updated"]}"));
        var transitions = await db.QueryAsync("""SELECT "id", "issueId", "name", "_sdc_deleted_at" IS NOT NULL AS gone FROM "issue_transitions" ORDER BY "issueId", "id" """);
        Assert.Equal(["1|11|Start again|False", "1|21|Stop|True", "1|31|Reopen|False", "2|11|Start|False"],
            transitions.Select(r => $"{r["issueId"]}|{r["id"]}|{r["name"]}|{r["gone"]}"));
    }

    [Theory, MemberData(nameof(Sql))]
    public async Task A_deletion_notice_later_in_a_first_load_keeps_the_rows_last_known_values(string kind)
    {
        await using var db = new TestDatabase(kind);
        const string worklog = """{"id":{"type":"string"},"issueId":{"type":["null","string"]},"timeSpentSeconds":{"type":["null","integer"]},"_sdc_deleted_at":{"type":["null","string"],"format":"date-time"}}""";
        await using var destination = await db.OpenAsync();
        var report = await new Loader(destination, new MemoryLog(), new LoadOptions { BatchRows = 1 }).LoadAsync(Stream(
            Schema("worklogs", worklog, "id"),
            Record("worklogs", """{"id":"w1","issueId":"10","timeSpentSeconds":60}"""),
            Record("worklogs", """{"id":"w2","_sdc_deleted_at":"2024-05-02T00:00:00Z"}"""),
            State("""{"n":1}"""),
            Record("worklogs", """{"id":"w1","_sdc_deleted_at":"2024-05-03T00:00:00Z"}"""),
            State("""{"n":2}""")));

        Assert.Equal(2, report.Streams["worklogs"].MarkedDeleted);
        var rows = await db.QueryAsync("""SELECT "id", "issueId", "timeSpentSeconds", CAST("_sdc_deleted_at" AS VARCHAR) AS d FROM "worklogs" ORDER BY "id" """);
        Assert.Equal("10", rows[0]["issueId"]);
        Assert.Equal(60L, rows[0]["timeSpentSeconds"]);
        Assert.StartsWith("2024-05-03 00:00:00", (string)rows[0]["d"]!);
        Assert.StartsWith("2024-05-02 00:00:00", (string)rows[1]["d"]!);
    }

    [Fact]
    public async Task A_key_another_process_inserts_during_a_first_load_is_upserted_not_a_failed_batch()
    {
        var (report, _, rows) = await LoadBesideAnUncommittedRowAsync(sharedWithOtherLoads: false);

        Assert.Equal(1, report.Streams["issue_links"].Inserted);
        Assert.Equal(1, report.Streams["issue_links"].Updated);
        Assert.Equal(["6:ours", "7:ours"], rows);
    }

    [Fact]
    public async Task A_partitions_load_beside_other_loads_upserts_from_the_start_instead_of_copying_straight_in()
    {
        // A partition's sync (SharedWithOtherLoads) must keep to the key-ordered upsert, which cannot deadlock with the
        // other partitions' loads: the statement that waits for the other transaction's row is the upsert, not a COPY.
        var (report, waiting, rows) = await LoadBesideAnUncommittedRowAsync(sharedWithOtherLoads: true);

        Assert.StartsWith("INSERT INTO", waiting.TrimStart());
        Assert.Contains("ON CONFLICT", waiting);
        // The upsert counts a key as new when it was not committed at the count (SqlDestination says so): two rows written.
        Assert.Equal(2, report.Streams["issue_links"].Inserted + report.Streams["issue_links"].Updated);
        Assert.Equal(["6:ours", "7:ours"], rows);
    }

    /// <summary>Loads links 6 and 7 into an empty table while another transaction holds an uncommitted link 7; commits
    /// that one once this load waits for it. Returns the report, the text of the statement that waited, and the rows.</summary>
    private static async Task<(LoadReport Report, string Waiting, List<string> Rows)> LoadBesideAnUncommittedRowAsync(bool sharedWithOtherLoads)
    {
        await using var db = new TestDatabase("postgres");
        const string props = """{"id":{"type":"string"},"title":{"type":["null","string"]}}""";
        await using (var first = await db.OpenAsync()) // the table, empty
            await new Loader(first, new MemoryLog()).LoadAsync(Stream(Schema("issue_links", props, "id")));

        // Another partition's load has inserted link 7 and not committed yet.
        await using var other = (NpgsqlConnection)await db.ConnectAsync();
        await using var tx = await other.BeginTransactionAsync();
        await using (var insert = new NpgsqlCommand("""INSERT INTO "issue_links" ("id", "title", "_sdc_extracted_at", "_sdc_batched_at", "_sdc_sequence") VALUES ('7', 'theirs', now(), now(), 1)""", other, tx))
            await insert.ExecuteNonQueryAsync();

        await using var destination = await db.OpenAsync();
        destination.SharedWithOtherLoads = sharedWithOtherLoads;
        var load = new Loader(destination, new MemoryLog()).LoadAsync(Stream(
            Schema("issue_links", props, "id"), Record("issue_links", """{"id":"6","title":"ours"}"""), Record("issue_links", """{"id":"7","title":"ours"}""")));
        // Wait until this load's write of link 7 waits for the other transaction, then let that commit.
        string? waiting = null;
        for (var i = 0; i < 300 && waiting is null && !load.IsCompleted; i++)
        {
            waiting = (await db.ScalarAsync(
                $"SELECT min(query) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%{db.Schema}%issue_links%'")) as string;
            if (waiting is null) await Task.Delay(100);
        }
        Assert.True(waiting is not null, "the load never waited for the other transaction's row");
        await tx.CommitAsync();
        var report = await load;
        var rows = await db.QueryAsync("""SELECT "id", "title" FROM "issue_links" ORDER BY "id" """);
        return (report, waiting!, rows.Select(r => $"{r["id"]}:{r["title"]}").ToList());
    }
}
