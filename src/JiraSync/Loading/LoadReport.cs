using System.Text.Json.Nodes;

namespace JiraSync.Loading;

/// <summary>What a load did: per-stream counts, number of committed batches, the last committed state.</summary>
public sealed record LoadReport(IReadOnlyDictionary<string, StreamCounts> Streams, int Batches, JsonObject? State)
{
    public long TotalReceived => Streams.Values.Sum(s => s.Received);
}
