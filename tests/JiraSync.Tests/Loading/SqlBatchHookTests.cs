using System.Data.Common;
using JiraSync.Loading;
using JiraSync.Logging;
using JiraSync.Singer;
using static JiraSync.Tests.Loading.Messages;

namespace JiraSync.Tests.Loading;

/// <summary>The SQL destinations' batch hook: its statements commit with the batch's rows, or not at all.</summary>
public class SqlBatchHookTests
{
    public static TheoryData<string> Sql => new() { "duckdb", "postgres" };

    /// <summary>Keeps, per batch, how many issues rows it inserted: a stand-in for a derived table.</summary>
    private sealed class CountingHook(bool fail) : ISqlBatchHook
    {
        public async Task AfterBatchWrittenAsync(SqlBatchContext context, CancellationToken ct)
        {
            var log = context.Dialect.TableRef("hook_log");
            await ExecAsync(context, $"CREATE TABLE IF NOT EXISTS {log} (batch {context.Dialect.TypeName(ColumnType.BigInt)}, inserted {context.Dialect.TypeName(ColumnType.BigInt)})", ct);
            var inserted = context.Counts.GetValueOrDefault("issues")?.Inserted ?? 0;
            await ExecAsync(context, $"INSERT INTO {log} VALUES ({context.Batch.Number}, {inserted})", ct);
            if (fail) throw new InvalidOperationException("hook failed");
        }

        private static async Task ExecAsync(SqlBatchContext context, string sql, CancellationToken ct)
        {
            await using DbCommand cmd = context.Connection.CreateCommand();
            cmd.CommandText = sql;
            cmd.Transaction = context.Transaction;
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }

    private static SingerMessage[] TwoIssues =>
    [
        Schema("issues", """{"id":{"type":"string"}}""", "id"),
        Record("issues", """{"id":"1"}"""),
        Record("issues", """{"id":"2"}"""),
        State("""{"bookmarks":{"issues":{"updated":"2024-05-01T00:00:00Z"}}}"""),
    ];

    [Theory, MemberData(nameof(Sql))]
    public async Task A_hook_writes_in_the_batch_transaction_and_sees_its_counts(string kind)
    {
        await using var db = new TestDatabase(kind);
        await using (var destination = await db.OpenAsync())
            await new Loader(destination, new MemoryLog(), new LoadOptions { SqlBatchHooks = [new CountingHook(fail: false)] }).LoadAsync(Stream(TwoIssues));

        var rows = await db.QueryAsync("SELECT batch, inserted FROM hook_log");
        Assert.Equal((1L, 2L), (Convert.ToInt64(rows.Single()["batch"]), Convert.ToInt64(rows.Single()["inserted"])));
    }

    [Theory, MemberData(nameof(Sql))]
    public async Task A_failing_hook_rolls_back_the_rows_and_the_state(string kind)
    {
        await using var db = new TestDatabase(kind);
        await using (var destination = await db.OpenAsync())
        {
            var loader = new Loader(destination, new MemoryLog(), new LoadOptions { SqlBatchHooks = [new CountingHook(fail: true)] });
            await Assert.ThrowsAsync<InvalidOperationException>(() => loader.LoadAsync(Stream(TwoIssues)));
            Assert.Null(await destination.ReadStateAsync());
        }
        Assert.Empty(await db.QueryAsync("SELECT id FROM issues"));
    }
}
