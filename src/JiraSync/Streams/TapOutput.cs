using System.Text.Json.Nodes;
using System.Threading.Channels;
using JiraSync.Logging;
using JiraSync.Singer;

namespace JiraSync.Streams;

/// <summary>
/// Everything a fetcher needs to emit: RECORDs shaped and filtered for their selected stream,
/// STATE snapshots, ACTIVATE_VERSION, and per-stream record counts for METRIC lines. Records of
/// streams that are not selected (a parent read for its children) are dropped here.
/// </summary>
internal sealed class TapOutput(ChannelWriter<SingerMessage> output, TapState state, IReadOnlyDictionary<string, StreamPlan> plans, ILog log)
{
    private readonly Dictionary<string, long> _counts = new();
    private readonly Dictionary<string, long> _versions = new();

    internal TapState State => state;

    internal bool IsSelected(string stream) => plans.TryGetValue(stream, out var p) && p.Selected;

    internal long Count(string stream) => _counts.GetValueOrDefault(stream);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _skipped = new(StringComparer.Ordinal);

    /// <summary>Selected streams that could not be read, with why (for the run's report).</summary>
    internal IReadOnlyDictionary<string, string> Skipped => _skipped;

    /// <summary>Records that a selected stream was skipped, with one warning.</summary>
    internal void Skip(string stream, string reason)
    {
        if (_skipped.TryAdd(stream, reason)) log.Warn($"{stream}: skipped: {reason}");
    }

    internal void SetVersion(string stream, long? version)
    {
        if (version is { } v) _versions[stream] = v; else _versions.Remove(stream);
    }

    /// <summary>Emits one record (the record object is taken over). Returns false if the stream is not selected.</summary>
    internal async ValueTask<bool> RecordAsync(string stream, JsonObject record, DateTimeOffset extracted, CancellationToken ct)
    {
        if (!plans.TryGetValue(stream, out var plan) || !plan.Selected) return false;
        if (plan.Definition.Transform is { } transform) record = transform(record);
        plan.Shaper.Apply(record);
        plan.Fields.ApplyToRecord(record);
        await output.WriteAsync(new RecordMessage(stream, record, extracted, _versions.TryGetValue(stream, out var v) ? v : null), ct);
        _counts[stream] = _counts.GetValueOrDefault(stream) + 1;
        return true;
    }

    internal ValueTask StateAsync(CancellationToken ct) => output.WriteAsync(new StateMessage(state.Snapshot()), ct);

    internal ValueTask ActivateVersionAsync(string stream, long version, CancellationToken ct) =>
        output.WriteAsync(new ActivateVersionMessage(stream, version), ct);

    internal ValueTask SchemaAsync(StreamPlan plan, CancellationToken ct) =>
        output.WriteAsync(new SchemaMessage(plan.Definition.Name, plan.Schema, plan.KeyProperties,
            plan.Definition.ReplicationKey is { } rk ? [rk] : []), ct);

    internal void ReportCount(string stream) =>
        log.Metric("counter", "record_count", Count(stream), new JsonObject { ["endpoint"] = stream });
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
