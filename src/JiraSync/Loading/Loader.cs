using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using JiraSync.Logging;
using JiraSync.Singer;

namespace JiraSync.Loading;

/// <summary>
/// Drives a destination from a stream of Singer messages: keeps each stream's table in step with its
/// SCHEMA, buffers RECORDs (one row per key, latest wins), and commits all pending streams, version
/// activations and the latest STATE in one transaction per batch. So the stored state never runs ahead of
/// the stored rows, and a crash at any point resumes from a consistent earlier state.
/// </summary>
/// <param name="destination">Where the rows go (<see cref="Destinations.DestinationUri.OpenAsync"/>).</param>
/// <param name="log">Receives schema changes, batch timings and the destination's warnings.</param>
/// <param name="options">Batch sizes, validation and SQL hooks; null for the defaults.</param>
public sealed class Loader(IDestination destination, ILog log, LoadOptions? options = null)
{
    private readonly LoadOptions _options = options ?? new LoadOptions();
    private readonly Dictionary<string, StreamState> _streams = new(StringComparer.Ordinal);
    private readonly List<VersionActivation> _activations = [];
    // Per parent stream, the children its latest SCHEMA declared (SchemaHints.Children), in order of arrival.
    private readonly Dictionary<string, IReadOnlyList<SchemaHints.ChildLink>> _children = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StreamCounts> _counts = new(StringComparer.Ordinal);
    private readonly object _countsLock = new();
    private long _sequence = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;
    private long _pendingRows, _memoryBaseline = GC.GetTotalMemory(false);
    private bool _overBudget;
    private JsonObject? _state;
    private bool _stateDirty;
    private int _batches;
    private long _batchNumber;
    private Task? _committing;
    private readonly Stopwatch _sinceCommit = Stopwatch.StartNew();

    /// <summary>Raised after each commit with the state it stored (targets echo it on stdout).</summary>
    public event Action<JsonObject>? StateCommitted;

    /// <summary>Raised after each commit (progress displays, tests).</summary>
    public event Action<int>? BatchCommitted;

    /// <summary>Loads every message from the channel until it completes; returns the counts and the last committed state.</summary>
    /// <param name="reader">The tap's output channel.</param>
    /// <param name="ct">Cancels the load (a batch already being committed is waited for first).</param>
    /// <exception cref="InvalidMessageException">A message the loader cannot accept (exit 1).</exception>
    public Task<LoadReport> LoadAsync(ChannelReader<SingerMessage> reader, CancellationToken ct = default) =>
        LoadAsync(reader.ReadAllAsync(ct), ct);

    /// <summary>Loads every message; returns the counts and the last committed state. A bad message throws
    /// <see cref="InvalidMessageException"/> after the batch already handed over is committed.</summary>
    /// <param name="messages">Singer messages (SCHEMA, RECORD, STATE, ACTIVATE_VERSION) in order.</param>
    /// <param name="ct">Cancels the load (a batch already being committed is waited for first).</param>
    /// <exception cref="InvalidMessageException">A message the loader cannot accept (exit 1).</exception>
    public async Task<LoadReport> LoadAsync(IAsyncEnumerable<SingerMessage> messages, CancellationToken ct = default)
    {
        try
        {
            await foreach (var message in messages.WithCancellation(ct))
            {
                switch (message)
                {
                    case SchemaMessage s: await OnSchemaAsync(s, ct); break;
                    case RecordMessage r: await OnRecordAsync(r, ct); break;
                    case StateMessage st: await OnStateAsync(st, ct); break;
                    case ActivateVersionMessage a: await OnActivateVersionAsync(a, ct); break;
                }
            }
        }
        catch
        {
            // A bad message or a failed source ends the load; the batch already handed over still commits.
            try { await WaitForCommitAsync(); } catch { /* the first error is the one to report */ }
            throw;
        }
        if (_pendingRows > 0 || _activations.Count > 0 || _stateDirty) await CommitAsync(ct);
        await WaitForCommitAsync();
        if (_batches > 0) await destination.AfterLoadAsync(_options.SqlBatchHooks, ct);
        return Snapshot();
    }

    /// <summary>Counts so far (thread-safe; Received includes rows not yet committed).</summary>
    public LoadReport Snapshot()
    {
        lock (_countsLock)
        {
            var copy = _counts.ToDictionary(kv => kv.Key, kv => { var c = new StreamCounts(); c.Add(kv.Value); return c; });
            return new LoadReport(copy, _batches, _state?.DeepClone() as JsonObject);
        }
    }

    private async Task OnSchemaAsync(SchemaMessage message, CancellationToken ct)
    {
        var children = SchemaHints.ChildrenOf(message.Schema);
        if (children.Count > 0) _children[message.Stream] = children;
        else _children.Remove(message.Stream);
        var desired = TableSchema.From(message);
        if (_streams.TryGetValue(message.Stream, out var known) && known.Desired.SameShape(desired))
        {
            known.JsonSchema = message.Schema;
            return;
        }
        // The table changes shape: rows buffered under the old shape are written first.
        if (_pendingRows > 0 || _activations.Count > 0) await CommitAsync(ct);
        await WaitForCommitAsync();
        var actual = await destination.ApplySchemaAsync(desired, ct);
        if (known is null) _streams[message.Stream] = new StreamState(desired, actual, message.Schema);
        else { known.Desired = desired; known.Table = actual; known.JsonSchema = message.Schema; }
        lock (_countsLock) _counts.TryAdd(message.Stream, new StreamCounts());
    }

    private async Task OnRecordAsync(RecordMessage message, CancellationToken ct)
    {
        if (!_streams.TryGetValue(message.Stream, out var stream))
            throw new InvalidMessageException($"RECORD for stream '{message.Stream}' arrived before its SCHEMA");
        if (_options.ValidateRecords && RecordValidator.Validate(stream.JsonSchema, message.Record) is { } violation)
            throw new InvalidMessageException($"RECORD for stream '{message.Stream}' violates its SCHEMA: {violation}");
        var table = stream.Table;
        foreach (var k in table.KeyProperties)
            if (message.Record[k] is null)
                throw new InvalidMessageException($"RECORD for stream '{message.Stream}' has no value for key property '{k}'");
        // A version activation must see the rows that came before it, never the ones after it.
        // Rows of the activated version (or newer) are untouched by it and can share its batch.
        if (_activations.Any(a => a.Stream == message.Stream && (message.Version is not { } v || v < a.Version))) await CommitAsync(ct);

        // Converted before the batch is looked at: widening a column commits the rows buffered so far.
        var values = destination.WantsColumnValues ? await ColumnValuesAsync(stream, message.Record, ct) : null;
        var deletedAt = DeletedAt(message);
        var key = table.HasKey ? RowValues.KeyText(table, message.Record) : null;
        StagedRow? earlier = null;
        if (key != null && stream.Keyed.TryGetValue(key, out earlier)) _pendingRows--;
        StagedRow row;
        if (values != null)
        {
            if (deletedAt is not null && earlier?.Values is { } before) KeepKnownValues(values, before);
            row = new StagedRow(null, values, message.TimeExtracted, message.Version, ++_sequence, deletedAt, RowStatus.Of(message.Record, deletedAt));
        }
        else
        {
            if (deletedAt is not null && earlier?.Record is { } before) KeepKnownValues(message.Record, before);
            row = new StagedRow(message.Record, null, message.TimeExtracted, message.Version, ++_sequence, deletedAt, RowStatus.Of(message.Record, deletedAt));
        }
        if (key != null) stream.Keyed[key] = row;
        else stream.Unkeyed.Add(row);
        _pendingRows++;
        lock (_countsLock) _counts[message.Stream].Received++;

        if ((_pendingRows & 255) == 0)
        {
            var held = GC.GetTotalMemory(false) - _memoryBaseline;
            _overBudget = held >= _options.MemoryBudgetBytes;
            if (held >= _options.MemoryBudgetBytes * _options.HardLimitFactor) { await CommitAsync(ct); return; }
        }
        if (_pendingRows >= (long)_options.BatchRows * _options.HardLimitFactor) await CommitAsync(ct);
    }

    /// <summary>The record's column values. A flattened column (say a Jira field typed from Jira's field list) that
    /// meets a value of another type is widened to text, as a type change in a SCHEMA would be, and the record is
    /// converted again: the row is never lost, and the value is also in its object's JSON column. The rows buffered
    /// so far were converted for the old type, so they are committed first. Top-level columns keep their strict
    /// contract (a value that does not fit ends the run).</summary>
    private async Task<object?[]> ColumnValuesAsync(StreamState stream, JsonObject record, CancellationToken ct)
    {
        while (true)
        {
            try { return RowValues.Data(stream.Table, record); }
            catch (ColumnMismatchException e) when (stream.Table.Columns[e.ColumnIndex] is { From: not null, Type: not ColumnType.Text })
            {
                var column = stream.Table.Columns[e.ColumnIndex];
                log.Warn($"{e.Message}; widening column '{column.Name}' to text");
                if (_pendingRows > 0 || _activations.Count > 0) await CommitAsync(ct);
                await WaitForCommitAsync();
                var widened = await destination.ApplySchemaAsync(stream.Table.WithColumnType(e.ColumnIndex, ColumnType.Text), ct);
                if (widened.Column(column.Name)?.Type != ColumnType.Text) throw new InvalidMessageException(e.Message);
                stream.Table = widened;
            }
        }
    }

    private async Task OnStateAsync(StateMessage message, CancellationToken ct)
    {
        _state = message.Value;
        _stateDirty = true;
        if (_pendingRows >= _options.BatchRows || _overBudget
            || (_sinceCommit.Elapsed >= _options.MaxBatchAge && (_pendingRows > 0 || _activations.Count > 0)))
            await CommitAsync(ct);
    }

    private async Task OnActivateVersionAsync(ActivateVersionMessage message, CancellationToken ct)
    {
        if (!_streams.ContainsKey(message.Stream))
            throw new InvalidMessageException($"ACTIVATE_VERSION for stream '{message.Stream}' arrived before its SCHEMA");
        _activations.Add(new VersionActivation(message.Stream, message.Version));
        await Task.CompletedTask;
    }

    /// <summary>Hands the pending rows, activations and state to the destination as one batch. The commit runs in
    /// the background while the next batch fills (extraction, parsing and the database overlap); batches still
    /// commit one at a time, in order, so the stored state only ever moves forward with its rows.</summary>
    private async Task CommitAsync(CancellationToken ct)
    {
        var batch = new LoadBatch(
            _streams.Values.Where(s => s.Count > 0).Select(s => new StreamBatch(s.Table, s.TakeRows())).ToList(),
            _activations.ToList(),
            _stateDirty ? _state : null,
            Microseconds(DateTimeOffset.UtcNow),
            ++_batchNumber)
        {
            Cascades = _children.SelectMany(p => p.Value.Select(c => new DeletionCascade(p.Key, c.ParentKey, c.Stream, c.ForeignKey))).ToList(),
            SnapshotChildren = _children.SelectMany(p => p.Value.Where(c => c.ResentWithParent && _streams.ContainsKey(c.Stream))
                .Select(c => new DeletionCascade(p.Key, c.ParentKey, c.Stream, c.ForeignKey))).ToList(),
            SqlBatchHooks = _options.SqlBatchHooks,
        };
        _activations.Clear();
        _stateDirty = false;
        _pendingRows = 0;
        _overBudget = false;
        _sinceCommit.Restart();
        await WaitForCommitAsync();
        _memoryBaseline = GC.GetTotalMemory(false);
        _committing = Task.Run(() => CommitInBackgroundAsync(batch, ct), CancellationToken.None);
        if (!_options.Pipelined) await WaitForCommitAsync();
    }

    /// <summary>Waits for the batch being committed, if any; its failure surfaces here.</summary>
    private async Task WaitForCommitAsync()
    {
        if (_committing is not { } running) return;
        _committing = null;
        await running;
    }

    private async Task CommitInBackgroundAsync(LoadBatch batch, CancellationToken ct)
    {
        var counts = await destination.CommitAsync(batch, ct);
        lock (_countsLock)
        {
            _batches++;
            foreach (var (stream, c) in counts)
            {
                if (!_counts.TryGetValue(stream, out var total)) _counts[stream] = total = new StreamCounts();
                total.Inserted += c.Inserted;
                total.Updated += c.Updated;
                total.MarkedDeleted += c.MarkedDeleted;
            }
        }
        log.Debug($"batch {batch.Number}: {string.Join(", ", counts.Select(kv => $"{kv.Key} +{kv.Value.Inserted} ~{kv.Value.Updated} -{kv.Value.MarkedDeleted}"))}");
        if (batch.State is { } state) StateCommitted?.Invoke(state);
        BatchCommitted?.Invoke((int)batch.Number);
        TestPause.At("batch-committed");
    }

    /// <summary>Databases store microseconds; a batch time compared with stored values must not carry more.</summary>
    private static DateTimeOffset Microseconds(DateTimeOffset t) => new(t.UtcTicks - t.UtcTicks % 10, TimeSpan.Zero);

    /// <summary>A deletion notice may carry only the key; the row keeps what an earlier record in the batch said.</summary>
    private static void KeepKnownValues(object?[] deletion, object?[] earlier)
    {
        for (var i = 0; i < deletion.Length && i < earlier.Length; i++) deletion[i] ??= earlier[i];
    }

    private static void KeepKnownValues(JsonObject deletion, JsonObject earlier)
    {
        foreach (var name in earlier.Select(kv => kv.Key).ToList())
        {
            if (deletion[name] is not null) continue;
            var value = earlier[name];
            earlier.Remove(name);
            deletion[name] = value;
        }
    }

    private static DateTimeOffset? DeletedAt(RecordMessage message)
    {
        var node = message.Record[TableSchema.DeletedAt];
        if (node is null) return null;
        if (node.GetValueKind() == JsonValueKind.String)
        {
            try { return SingerTime.Parse(node.GetValue<string>()); }
            catch (FormatException) { }
        }
        // Any other non-null marker still means deleted; the extraction time is the best instant we have.
        return node.GetValueKind() is JsonValueKind.False ? null : message.TimeExtracted;
    }

    private sealed class StreamState(TableSchema desired, TableSchema table, JsonObject jsonSchema)
    {
        public TableSchema Desired { get; set; } = desired;
        public TableSchema Table { get; set; } = table;
        public JsonObject JsonSchema { get; set; } = jsonSchema;
        public Dictionary<string, StagedRow> Keyed { get; } = new(StringComparer.Ordinal);
        public List<StagedRow> Unkeyed { get; } = [];
        public int Count => Keyed.Count + Unkeyed.Count;

        public IReadOnlyList<StagedRow> TakeRows()
        {
            var rows = Keyed.Values.Concat(Unkeyed).ToList();
            Keyed.Clear();
            Unkeyed.Clear();
            return rows;
        }
    }
}
