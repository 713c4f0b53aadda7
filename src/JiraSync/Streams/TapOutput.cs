using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using JiraSync.Logging;
using JiraSync.Singer;

namespace JiraSync.Streams;

/// <summary>
/// Everything a fetcher needs to emit: RECORDs shaped and filtered for their selected stream,
/// STATE snapshots, ACTIVATE_VERSION, and per-stream record counts for METRIC lines. Records of
/// streams that are not selected (a parent read for its children) are dropped here.
///
/// Units of one run share one output but each gets its own view (<see cref="ForUnit"/>): the unit changes the
/// bookmarks of its <see cref="State"/> freely; <see cref="StateAsync"/> commits its streams' bookmarks into the
/// run's state and writes that. Every message goes to the channel under one lock, so a STATE combines each unit's
/// last committed bookmarks (each committed after the unit's records up to it were written) and is safe to resume
/// from wherever it stands in the output; messages emitted between <see cref="BeginGroup"/> and
/// <see cref="EndGroupAsync"/> reach the channel together (an issue and the children re-sent with it).
/// </summary>
public sealed class TapOutput
{
    private readonly Shared _shared;
    private readonly TapState _state;
    private readonly IReadOnlyList<string>? _owned;
    private readonly Dictionary<string, long> _versions = new();
    private List<SingerMessage>? _group;

    /// <summary>What every unit's view shares: the channel and its lock, the run's committed state, counts, skips.</summary>
    private sealed class Shared(ChannelWriter<SingerMessage> output, TapState state, IReadOnlyDictionary<string, StreamPlan> plans, ILog log)
    {
        /// <summary>The one ordered writer of the run's Singer messages.</summary>
        public ChannelWriter<SingerMessage> Output => output;
        /// <summary>The run's state: what a STATE message combines from every unit's committed bookmarks.</summary>
        public TapState State => state;
        /// <summary>Each selected stream's plan (schema, selected properties), by stream name.</summary>
        public IReadOnlyDictionary<string, StreamPlan> Plans => plans;
        /// <summary>The run's log.</summary>
        public ILog Log => log;
        /// <summary>Held while writing to the channel: whole groups, and each STATE in the order it was committed.</summary>
        public readonly SemaphoreSlim Lock = new(1, 1);
        /// <summary>Held while reading or changing <see cref="State"/> (briefly, never across an await).</summary>
        public readonly object StateLock = new();
        /// <summary>Records written per stream so far.</summary>
        public readonly ConcurrentDictionary<string, long> Counts = new(StringComparer.Ordinal);
        /// <summary>Streams Jira refused, with the reason (one line each).</summary>
        public readonly ConcurrentDictionary<string, string> Skipped = new(StringComparer.Ordinal);
    }

    /// <summary>The run's output: writes to <paramref name="output"/> (which must accept several writers), starting
    /// from <paramref name="state"/> (taken over: the run's committed state).</summary>
    /// <param name="output">Where every message goes.</param>
    /// <param name="state">The state the run starts from; this output changes it.</param>
    /// <param name="plans">Every stream's plan for this run, by name.</param>
    /// <param name="log">Where skip warnings and METRIC lines go.</param>
    internal TapOutput(ChannelWriter<SingerMessage> output, TapState state, IReadOnlyDictionary<string, StreamPlan> plans, ILog log)
        : this(new Shared(output, state, plans, log), state, null) { }

    private TapOutput(Shared shared, TapState state, IReadOnlyList<string>? owned)
    {
        _shared = shared; _state = state; _owned = owned;
    }

    /// <summary>A view for one unit of extraction: its <see cref="State"/> is a copy of the run's state now, and its
    /// <see cref="StateAsync"/> commits only the bookmarks of <paramref name="streams"/> (the streams the unit owns).</summary>
    /// <param name="streams">The unit's streams.</param>
    public TapOutput ForUnit(IEnumerable<string> streams)
    {
        lock (_shared.StateLock) return new TapOutput(_shared, TapState.FromJson(_shared.State.Snapshot()), streams.ToList());
    }

    /// <summary>The state this view reads and changes: the run's own state, or a unit's working copy (see <see cref="ForUnit"/>).</summary>
    public TapState State => _state;

    /// <summary>Whether <paramref name="stream"/> is selected in this run's catalog.</summary>
    /// <param name="stream">A stream name.</param>
    public bool IsSelected(string stream) => _shared.Plans.TryGetValue(stream, out var p) && p.Selected;

    /// <summary>Records emitted so far for <paramref name="stream"/> (by every unit).</summary>
    /// <param name="stream">A stream name.</param>
    public long Count(string stream) => _shared.Counts.GetValueOrDefault(stream);

    /// <summary>Selected streams that could not be read, with why (for the run's report).</summary>
    public IReadOnlyDictionary<string, string> Skipped => _shared.Skipped;

    /// <summary>Records that a selected stream was skipped, with one warning.</summary>
    /// <param name="stream">The stream skipped.</param>
    /// <param name="reason">Why, one line.</param>
    public void Skip(string stream, string reason)
    {
        if (_shared.Skipped.TryAdd(stream, reason)) _shared.Log.Warn($"{stream}: skipped: {reason}");
    }

    /// <summary>The table version the stream's RECORDs carry from now on (null: none).</summary>
    /// <param name="stream">A full-table stream of this unit.</param>
    /// <param name="version">Its version, Unix milliseconds.</param>
    public void SetVersion(string stream, long? version)
    {
        if (version is { } v) _versions[stream] = v; else _versions.Remove(stream);
    }

    /// <summary>Emits one record (the record object is taken over). Returns false if the stream is not selected.</summary>
    /// <param name="stream">The record's stream.</param>
    /// <param name="record">The record as read; shaped here for its stream's schema and field selection.</param>
    /// <param name="extracted">When it was read (time_extracted).</param>
    /// <param name="ct">Cancels the write.</param>
    public async ValueTask<bool> RecordAsync(string stream, JsonObject record, DateTimeOffset extracted, CancellationToken ct)
    {
        if (!_shared.Plans.TryGetValue(stream, out var plan) || !plan.Selected) return false;
        if (plan.Definition.Transform is { } transform) record = transform(record);
        plan.Shaper.Apply(record);
        plan.Fields.ApplyToRecord(record);
        var message = new RecordMessage(stream, record, extracted, _versions.TryGetValue(stream, out var v) ? v : null);
        if (_group is { } group) group.Add(message);
        else await WriteAsync(message, ct);
        _shared.Counts.AddOrUpdate(stream, 1, (_, n) => n + 1);
        return true;
    }

    /// <summary>Holds the messages this view emits from now until <see cref="EndGroupAsync"/>, which writes them together.</summary>
    public void BeginGroup() => _group ??= [];

    /// <summary>Writes the messages held since <see cref="BeginGroup"/> with no other unit's message between them.</summary>
    /// <param name="ct">Cancels the write.</param>
    public async ValueTask EndGroupAsync(CancellationToken ct)
    {
        if (_group is not { } group) return;
        _group = null;
        if (group.Count == 0) return;
        await _shared.Lock.WaitAsync(ct);
        try
        {
            foreach (var message in group) await _shared.Output.WriteAsync(message, ct);
        }
        finally { _shared.Lock.Release(); }
    }

    /// <summary>Commits this unit's bookmarks into the run's state and writes that state (a STATE message): every
    /// record this view emitted before is already in the channel, so the bookmarks in it never run ahead of them.</summary>
    /// <param name="ct">Cancels the write.</param>
    public async ValueTask StateAsync(CancellationToken ct)
    {
        await EndGroupAsync(ct);
        await _shared.Lock.WaitAsync(ct);
        try
        {
            JsonObject snapshot;
            lock (_shared.StateLock)
            {
                if (_owned is not null) _shared.State.TakeBookmarks(_state, _owned);
                snapshot = _shared.State.Snapshot();
            }
            await _shared.Output.WriteAsync(new StateMessage(snapshot), ct);
        }
        finally { _shared.Lock.Release(); }
    }

    /// <summary>Sets the run state's currently_syncing (written with the next STATE of any unit).</summary>
    /// <param name="unit">The unit to name, or null.</param>
    internal void SetCurrentlySyncing(string? unit)
    {
        lock (_shared.StateLock) _shared.State.CurrentlySyncing = unit;
    }

    /// <summary>Emits ACTIVATE_VERSION for a full-table stream.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="version">The version whose rows are now the table (Unix milliseconds).</param>
    /// <param name="ct">Cancels the write.</param>
    public ValueTask ActivateVersionAsync(string stream, long version, CancellationToken ct) =>
        EmitAsync(new ActivateVersionMessage(stream, version), ct);

    /// <summary>Emits a stream's SCHEMA as this run declares it.</summary>
    /// <param name="plan">The stream's plan.</param>
    /// <param name="ct">Cancels the write.</param>
    internal ValueTask SchemaAsync(StreamPlan plan, CancellationToken ct) =>
        EmitAsync(new SchemaMessage(plan.Definition.Name, plan.Schema, plan.KeyProperties,
            plan.Definition.ReplicationKey is { } rk ? [rk] : []), ct);

    /// <summary>Logs the stream's record count as a Singer METRIC line.</summary>
    /// <param name="stream">The stream.</param>
    public void ReportCount(string stream) =>
        _shared.Log.Metric("counter", "record_count", Count(stream), new JsonObject { ["endpoint"] = stream });

    private ValueTask EmitAsync(SingerMessage message, CancellationToken ct)
    {
        if (_group is { } group) { group.Add(message); return ValueTask.CompletedTask; }
        return WriteAsync(message, ct);
    }

    private async ValueTask WriteAsync(SingerMessage message, CancellationToken ct)
    {
        await _shared.Lock.WaitAsync(ct);
        try { await _shared.Output.WriteAsync(message, ct); }
        finally { _shared.Lock.Release(); }
    }
}

/// <summary>A stream as this run treats it: selected or only read for its children, its projected
/// schema, key, field selection and date shaping.</summary>
internal sealed record StreamPlan(
    StreamDefinition Definition,
    bool Selected,
    JsonObject Schema,
    IReadOnlyList<string> KeyProperties,
    FieldSelection Fields,
    RecordShaper Shaper)
{
    /// <param name="def">The stream's declaration.</param>
    /// <param name="entry">Its catalog entry (selection); null means not in the catalog, so not selected.</param>
    /// <param name="isServer">Server/DC rather than Cloud.</param>
    /// <param name="jiraFields">Jira's field list read at the start of this run (null: the embedded schema only). The
    /// schema comes from it rather than from the catalog, so a field added since discovery is declared too.</param>
    internal static StreamPlan Build(StreamDefinition def, CatalogEntry? entry, bool isServer, IReadOnlyList<JiraField>? jiraFields = null)
    {
        var schema = IssueFieldSchema.SchemaOf(def, jiraFields);
        var shaper = RecordShaper.Compile(schema);
        var fields = entry is null ? FieldSelection.All : FieldSelection.From(entry, def, isServer);
        fields.ApplyToSchema(schema);
        StreamLinks.AddChildrenHint(def, schema);
        return new StreamPlan(def, entry?.IsSelected ?? false, schema, def.KeysFor(isServer), fields, shaper);
    }
}
