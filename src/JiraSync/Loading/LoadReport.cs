using System.Text.Json.Nodes;

namespace JiraSync.Loading;

/// <summary>What a load did: per-stream counts, number of committed batches, and the latest STATE received
/// (once the load has finished, the state committed with the last batch).</summary>
public sealed record LoadReport(IReadOnlyDictionary<string, StreamCounts> Streams, int Batches, JsonObject? State)
{
    public long TotalReceived => Streams.Values.Sum(s => s.Received);
}
