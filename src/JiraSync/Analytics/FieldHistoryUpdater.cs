using System.Text;
using System.Text.Json;
using JiraSync.Loading;
using JiraSync.Singer;
using static JiraSync.Loading.SqlText;

namespace JiraSync.Analytics;

/// <summary>
/// Keeps the history tables in step with the issues and changelogs tables, inside the transaction of each batch:
/// every issue the batch touched (an issue row, or a changelog row naming it: a target may receive an issue's
/// changelogs in a later batch than the issue) has its history rebuilt from the destination's rows, which already
/// include the batch. Reading back rather than using the batch alone makes `sync` and `target` (fed by any tap
/// that emits tap-jira's issues and changelogs) give the same rows, and an incremental run the same rows as a full
/// one. One instance per destination: it remembers the field names between batches.
/// </summary>
internal sealed class FieldHistoryUpdater
{
    private const string Issues = "issues", Changelogs = "changelogs";
    /// <summary>Ids per IN list: keeps statements well under any parser limit.</summary>
    private const int IdsPerStatement = 2_000;

    private Dictionary<string, string>? _names;
    private bool _tablesReady;

    /// <summary>Issues whose history was rebuilt so far (an issue touched by two batches counts twice).</summary>
    public long IssuesRebuilt { get; private set; }

    /// <summary>Wall time spent rebuilding history so far (inside the batches' transactions).</summary>
    public TimeSpan Elapsed { get; private set; }

    /// <summary>Rebuilds the history of the issues the batch touched. Does nothing for batches without issues or
    /// changelogs rows, or before the issues table exists.</summary>
    public async Task AfterBatchAsync(IAnalyticsSql sql, LoadBatch batch, CancellationToken ct)
    {
        var touched = TouchedIssueIds(batch);
        if (touched.Count == 0) return;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try { await RebuildAsync(sql, batch, touched, ct); }
        finally { Elapsed += clock.Elapsed; }
        IssuesRebuilt += touched.Count;
    }

    private async Task RebuildAsync(IAnalyticsSql sql, LoadBatch batch, HashSet<string> touched, CancellationToken ct)
    {
        var issueColumns = await sql.ColumnsAsync(Issues, ct);
        if (issueColumns is null || !issueColumns.ContainsKey("id") || !issueColumns.ContainsKey("fields")) return;
        var hasStatus = issueColumns.ContainsKey(RowStatus.Column);
        var changelogColumns = await sql.ColumnsAsync(Changelogs, ct);
        var hasChangelogs = changelogColumns is not null && new[] { "id", "issueId", "created", "items" }.All(changelogColumns.ContainsKey);

        await EnsureTablesAsync(sql, ct);
        var catalog = new FieldCatalog(await NamesAsync(sql, batch, ct));
        var ids = touched.ToList();
        var fieldRows = new List<object?[]>();
        var multiRows = new List<object?[]>();
        for (var start = 0; start < ids.Count; start += IdsPerStatement)
        {
            var chunk = ids.GetRange(start, Math.Min(IdsPerStatement, ids.Count - start));
            var inList = string.Join(", ", chunk.Select(Literal));
            var changes = hasChangelogs ? await ReadChangelogsAsync(sql, inList, ct) : [];
            await sql.ReadAsync(
                $"SELECT CAST({Ident("id")} AS VARCHAR), CAST({Ident("fields")} AS VARCHAR), CAST({Ident(TableSchema.DeletedAt)} AS VARCHAR), " +
                $"CAST({Ident(TableSchema.ExtractedAt)} AS VARCHAR), {(hasStatus ? Ident(RowStatus.Column) : "NULL")} FROM {sql.TableRef(Issues)} WHERE CAST({Ident("id")} AS VARCHAR) IN ({inList})", reader =>
            {
                if (reader.IsDBNull(1)) return;
                var id = reader.GetString(0);
                using var doc = JsonDocument.Parse(reader.GetString(1));
                var fields = doc.RootElement;
                if (fields.ValueKind != JsonValueKind.Object || !fields.TryGetProperty("created", out var c)
                    || c.ValueKind != JsonValueKind.String || !SingerTime.TryParse(c.GetString(), out var created)) return;
                var deletedAt = reader.IsDBNull(2) ? (DateTimeOffset?)null : SingerTime.Parse(reader.GetString(2));
                var extractedAt = reader.IsDBNull(3) ? (DateTimeOffset?)null : SingerTime.Parse(reader.GetString(3));
                var rowStatus = reader.IsDBNull(4) ? null : reader.GetString(4);
                var history = FieldHistoryBuilder.Build(new IssueSnapshot(id, created, fields), changes.GetValueOrDefault(id) ?? [], catalog);
                foreach (var r in history.Fields) fieldRows.Add(HistoryTables.Values(r, extractedAt, batch.BatchedAt, deletedAt, rowStatus));
                foreach (var r in history.Multiselect) multiRows.Add(HistoryTables.Values(r, extractedAt, batch.BatchedAt, deletedAt, rowStatus));
            }, ct);
            foreach (var table in new[] { HistoryTables.FieldHistory, HistoryTables.MultiselectHistory })
                await sql.ExecAsync($"DELETE FROM {sql.TableRef(table)} WHERE {Ident("issue_id")} IN ({inList})", ct);
        }
        if (fieldRows.Count > 0) await sql.InsertAsync(HistoryTables.Field, fieldRows, ct);
        if (multiRows.Count > 0) await sql.InsertAsync(HistoryTables.Multiselect, multiRows, ct);
    }

    /// <summary>Ids of issues with a row in the batch, and issues named by the batch's changelog rows.</summary>
    private static HashSet<string> TouchedIssueIds(LoadBatch batch)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var stream in batch.Streams)
        {
            var column = stream.Table.Stream switch { Issues => "id", Changelogs => "issueId", _ => null };
            if (column is null) continue;
            var index = stream.Table.Columns.ToList().FindIndex(c => c.Name == column);
            if (index < 0) continue;
            foreach (var row in stream.Rows)
            {
                var v = row.Values is { } values ? values[index] : row.Record?[column]?.ToString();
                if (v is not null) ids.Add(Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)!);
            }
        }
        return ids;
    }

    private static async Task<Dictionary<string, List<ChangeEntry>>> ReadChangelogsAsync(IAnalyticsSql sql, string inList, CancellationToken ct)
    {
        var result = new Dictionary<string, List<ChangeEntry>>(StringComparer.Ordinal);
        await sql.ReadAsync(
            $"SELECT CAST({Ident("issueId")} AS VARCHAR), CAST({Ident("id")} AS VARCHAR), CAST({Ident("created")} AS VARCHAR), " +
            $"CAST({Ident("author")} AS VARCHAR), CAST({Ident("items")} AS VARCHAR) FROM {sql.TableRef(Changelogs)} " +
            $"WHERE CAST({Ident("issueId")} AS VARCHAR) IN ({inList})", reader =>
        {
            if (reader.IsDBNull(0) || reader.IsDBNull(1) || reader.IsDBNull(2) || !SingerTime.TryParse(reader.GetString(2), out var created)) return;
            string? author = null;
            if (!reader.IsDBNull(3))
            {
                using var a = JsonDocument.Parse(reader.GetString(3));
                author = ChangeEntry.AuthorIdOf(a.RootElement);
            }
            List<ChangeItem> items = [];
            if (!reader.IsDBNull(4))
            {
                using var i = JsonDocument.Parse(reader.GetString(4));
                items = ChangeItem.ParseItems(i.RootElement);
            }
            var issueId = reader.GetString(0);
            if (!result.TryGetValue(issueId, out var list)) result[issueId] = list = [];
            list.Add(new ChangeEntry(reader.GetString(1), created, author, items));
        }, ct);
        return result;
    }

    /// <summary>Field id → current name: from the batch's issues table (the tap describes each field column with the
    /// field's name from Jira's field list), else from the stored column comments.</summary>
    private async Task<Dictionary<string, string>> NamesAsync(IAnalyticsSql sql, LoadBatch batch, CancellationToken ct)
    {
        if (batch.Streams.FirstOrDefault(s => s.Table.Stream == Issues) is { } issues)
        {
            var fromSchema = FieldNames.FromColumns(issues.Table.Columns.Select(c => (c.Name, c.Description)));
            if (fromSchema.Count > 0) return _names = fromSchema;
        }
        return _names ??= FieldNames.FromColumns((await sql.ColumnCommentsAsync(Issues, ct)).Select(kv => (kv.Key, (string?)kv.Value)));
    }

    private async Task EnsureTablesAsync(IAnalyticsSql sql, CancellationToken ct)
    {
        if (_tablesReady) return;
        // Partitioned syncs create these at once: one process at a time (the lock ends with the batch's transaction).
        if (sql.Dialect == SqlDialect.Postgres && (await sql.ColumnsAsync(HistoryTables.FieldHistory, ct) is null || await sql.ColumnsAsync(HistoryTables.MultiselectHistory, ct) is null))
            await sql.ExecAsync($"SELECT pg_advisory_xact_lock({SchemaChangeLock.Analytics(sql.TableRef(HistoryTables.FieldHistory))})", ct);
        foreach (var table in new[] { HistoryTables.Field, HistoryTables.Multiselect })
        {
            if (await sql.ColumnsAsync(table.Stream, ct) is not null) continue;
            var reference = sql.TableRef(table.Stream);
            await sql.ExecAsync($"CREATE TABLE {reference} ({string.Join(", ", table.AllColumns.Select(c => $"{Ident(c.Name)} {sql.TypeName(c.Type)}"))})", ct);
            if (table.Description is { } d) await sql.ExecAsync($"COMMENT ON TABLE {reference} IS {Literal(d)}", ct);
            foreach (var c in table.AllColumns.Where(c => c.Description is not null))
                await sql.ExecAsync($"COMMENT ON COLUMN {reference}.{Ident(c.Name)} IS {Literal(c.Description!)}", ct);
            // PostgreSQL: each batch deletes and re-inserts its issues' rows, found by issue id.
            if (sql.Dialect == SqlDialect.Postgres)
                await sql.ExecAsync($"CREATE INDEX IF NOT EXISTS {Ident(table.Stream + "_issue_id")} ON {reference} ({Ident("issue_id")})", ct);
        }
        _tablesReady = true;
    }
}
