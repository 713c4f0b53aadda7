using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using JiraSync.Logging;
using JiraSync.Singer;

namespace JiraSync.Loading.Destinations.Jsonl;

/// <summary>
/// A directory of JSON-lines files: STREAM.jsonl (records appended, each with its _sdc fields),
/// STREAM.schema.json, and _jirasync_state.json. The state file is replaced (write, fsync, rename) only
/// after the data files were fsynced, and it records each file's committed length: opening the
/// destination cuts off anything a killed process wrote after its last commit, so a rerun neither loses
/// nor doubles a line. Being an append log, it keeps every version of a record (no upsert).
/// </summary>
internal sealed class JsonlDestination : IDestination
{
    /// <summary>The state file's name in the folder: every source's state, the committed length of each data file and the table versions.</summary>
    public const string StateFile = "_jirasync_state.json";

    // _jirasync_runs.jsonl, _jirasync_run_streams.jsonl, _jirasync_reconciliation.jsonl (SqlRunStore's table names).
    private const string RunHistoryPrefix = "_jirasync_";
    private readonly string _dir;
    private readonly ILog _log;
    private readonly Dictionary<string, long> _lengths = new(StringComparer.Ordinal);
    private readonly JsonObject _versions = new();
    private readonly JsonObject _states = new();
    /// <inheritdoc/>
    public string StateKey { get; set; } = StateKeys.Default;

    /// <inheritdoc/>
    /// <remarks>Never true in practice: a jsonl folder takes one writer at a time (partitions are refused).</remarks>
    public bool SharedWithOtherLoads { get; set; }

    private JsonlDestination(string dir, ILog log)
    {
        _dir = dir;
        _log = log;
    }

    /// <inheritdoc/>
    public string Name => $"jsonl:{_dir}";
    /// <inheritdoc/>
    public bool WantsColumnValues => false;

    /// <summary>Opens (creating if needed) the folder and cuts every data file back to its committed length (what a killed run wrote after its last commit).
    /// Throws <see cref="Errors.ConfigException"/> when the folder cannot be created.</summary>
    public static Task<JsonlDestination> OpenAsync(string dir, ILog log, CancellationToken ct = default)
    {
        try { Directory.CreateDirectory(dir); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new Errors.ConfigException($"cannot create the jsonl destination directory {dir}: {e.Message}", e);
        }
        var d = new JsonlDestination(dir, log);
        d.Recover();
        return Task.FromResult(d);
    }

    private void Recover()
    {
        var path = Path.Combine(_dir, StateFile);
        if (File.Exists(path) && JsonNode.Parse(File.ReadAllText(path)) is JsonObject doc)
        {
            if (doc["states"] is JsonObject states) foreach (var (key, value) in states) _states[key] = value?.DeepClone();
            if (doc["files"] is JsonObject files)
                foreach (var (name, len) in files) _lengths[name] = len!.GetValue<long>();
            if (doc["versions"] is JsonObject v) foreach (var (k, n) in v) _versions[k] = n?.DeepClone();
        }
        foreach (var file in Directory.EnumerateFiles(_dir, "*.jsonl"))
        {
            var name = Path.GetFileName(file);
            // The run history's files (JsonlRunStore) are appended outside the loader's commits and keep the last line per
            // run: cutting them to a committed length would erase every run recorded since the last commit.
            if (name.StartsWith(RunHistoryPrefix, StringComparison.Ordinal)) continue;
            var committed = _lengths.GetValueOrDefault(name);
            var info = new FileInfo(file);
            if (info.Length > committed)
            {
                _log.Warn($"{name}: dropping {info.Length - committed} bytes written after the last commit (interrupted run)");
                using var fs = new FileStream(file, FileMode.Open, FileAccess.Write);
                fs.SetLength(committed);
                fs.Flush(true);
            }
        }
    }

    /// <inheritdoc/>
    public Task<JsonObject?> ReadStateAsync(CancellationToken ct = default) => Task.FromResult(_states[StateKey]?.DeepClone() as JsonObject);

    /// <inheritdoc/>
    public Task WriteStateAsync(JsonObject state, CancellationToken ct = default)
    {
        _states[StateKey] = state.DeepClone();
        SaveState();
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task<TableSchema> ApplySchemaAsync(TableSchema desired, CancellationToken ct = default)
    {
        var schema = new JsonObject
        {
            ["stream"] = desired.Stream,
            ["key_properties"] = new JsonArray(desired.KeyProperties.Select(k => (JsonNode)JsonValue.Create(k)!).ToArray()),
            ["columns"] = new JsonObject(desired.AllColumns.Where(c => c.From is null).Select(c => KeyValuePair.Create(c.Name, (JsonNode?)JsonValue.Create(c.Type.ToString())))),
        };
        File.WriteAllText(Path.Combine(_dir, desired.Stream + ".schema.json"), schema.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return Task.FromResult(desired);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyDictionary<string, StreamCounts>> CommitAsync(LoadBatch batch, CancellationToken ct = default)
    {
        var counts = new Dictionary<string, StreamCounts>();
        var batchedAt = SingerTime.Format(batch.BatchedAt);
        foreach (var stream in batch.Streams)
        {
            if (stream.Rows.Count == 0) continue;
            var name = stream.Table.Stream + ".jsonl";
            using var fs = new FileStream(Path.Combine(_dir, name), FileMode.Append, FileAccess.Write, FileShare.Read, 1 << 16);
            using (var writer = new Utf8JsonWriter(fs))
            {
                var n = 0;
                foreach (var row in stream.Rows)
                {
                    writer.WriteStartObject();
                    foreach (var (k, v) in row.Record!)
                    {
                        if (TableSchema.IsMetadata(k)) continue;
                        writer.WritePropertyName(k);
                        if (v is null) writer.WriteNullValue(); else v.WriteTo(writer);
                    }
                    writer.WriteString(TableSchema.ExtractedAt, SingerTime.Format(row.ExtractedAt));
                    writer.WriteString(TableSchema.BatchedAt, batchedAt);
                    if (row.DeletedAt is { } del) writer.WriteString(TableSchema.DeletedAt, SingerTime.Format(del)); else writer.WriteNull(TableSchema.DeletedAt);
                    writer.WriteNumber(TableSchema.Sequence, row.Sequence);
                    if (row.Version is { } ver) writer.WriteNumber(TableSchema.TableVersion, ver);
                    if (row.Status is { } status) writer.WriteString(RowStatus.Column, status);
                    writer.WriteEndObject();
                    writer.Flush();
                    writer.Reset(); // one JSON document per line
                    fs.WriteByte((byte)'\n');
                    if (++n == 10) TestPause.At("staging"); // mid-write of a batch, for the crash tests
                }
            }
            fs.Flush(true); // data durable before the state that covers it
            _lengths[name] = fs.Length;
            counts[stream.Table.Stream] = new StreamCounts
            {
                Received = stream.Rows.Count, Inserted = stream.Rows.Count,
                MarkedDeleted = stream.Rows.Count(r => r.DeletedAt is not null),
            };
        }
        foreach (var a in batch.Activations) _versions[a.Stream] = a.Version;
        if (batch.State is { } state) _states[StateKey] = state.DeepClone();
        TestPause.At("before-commit");
        SaveState();
        return Task.FromResult<IReadOnlyDictionary<string, StreamCounts>>(counts);
    }

    private void SaveState()
    {
        var doc = new JsonObject
        {
            ["states"] = _states.DeepClone(),
            ["files"] = new JsonObject(_lengths.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value)))),
            ["versions"] = _versions.DeepClone(),
        };
        var path = Path.Combine(_dir, StateFile);
        var tmp = path + ".tmp";
        using (var fs = new FileStream(tmp, FileMode.Create, FileAccess.Write))
        {
            fs.Write(Encoding.UTF8.GetBytes(doc.ToJsonString()));
            fs.Flush(true);
        }
        File.Move(tmp, path, overwrite: true); // atomic replace: readers see the old or the new state, never half
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<TableRowCount>> CountRowsAsync(IEnumerable<string> streams, CancellationToken ct = default)
    {
        var result = new List<TableRowCount>();
        foreach (var s in streams.Distinct().Order(StringComparer.Ordinal))
        {
            var path = Path.Combine(_dir, s + ".jsonl");
            if (!File.Exists(path)) continue;
            long rows = 0, deleted = 0;
            foreach (var line in File.ReadLines(path))
            {
                rows++;
                if (line.Contains("\"_sdc_deleted_at\":\"", StringComparison.Ordinal)) deleted++;
            }
            result.Add(new TableRowCount(s, rows, deleted));
        }
        return Task.FromResult<IReadOnlyList<TableRowCount>>(result);
    }

    /// <summary>Not available: JSON-lines files are a log of row versions, not a table to count (reconciliation says so).</summary>
    public Task<IReadOnlyList<string?[]>?> ReadRowsAsync(string stream, IReadOnlyList<string> columns, bool liveOnly = true, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<string?[]>?>(null);

    public Task<IReadOnlyDictionary<string, long>?> CountLiveRowsByAsync(string stream, string column, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyDictionary<string, long>?>(null);

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
