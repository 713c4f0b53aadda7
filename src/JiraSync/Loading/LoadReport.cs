using System.Text.Json.Nodes;
using JiraSync.Logging;

namespace JiraSync.Loading;

/// <summary>What a load did: per-stream counts, number of committed batches, and the latest STATE received
/// (once the load has finished, the state committed with the last batch).</summary>
/// <param name="Streams">Counts per stream name.</param>
/// <param name="Batches">Batches committed.</param>
/// <param name="State">The latest Singer state; null when none was received.</param>
public sealed record LoadReport(IReadOnlyDictionary<string, StreamCounts> Streams, int Batches, JsonObject? State)
{
    /// <summary>Records received over all streams.</summary>
    public long TotalReceived => Streams.Values.Sum(s => s.Received);

    /// <summary>Logs the report: one Info line per stream (received, inserted, updated, marked deleted), then the totals.</summary>
    /// <param name="log">Where the lines go.</param>
    /// <param name="destination">The destination's printable name (no password).</param>
    public void LogTo(ILog log, string destination)
    {
        foreach (var (stream, c) in Streams.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            log.Info($"loaded {stream}: {c.Received} received, {c.Inserted} inserted, {c.Updated} updated, {c.MarkedDeleted} marked deleted");
        log.Info($"{TotalReceived} records in {Batches} batches committed to {destination}");
    }
}
