using System.Threading.Channels;
using JiraSync.Singer;

namespace JiraSync.Streams;

/// <summary>
/// The tap's connection test (`jirasync tap --test`), as the Meltano Singer SDK's <c>--test</c> does it: every stream
/// is selected and read until it has given one record, then dropped (meltano/sdk: a sync limited to one record per
/// stream). Here each sync unit (a stream, or the issue family's one sweep) runs on its own and is stopped as soon
/// as each of its streams has a record, or when it ends with fewer (an empty stream is not a failure).
/// Writes each stream's SCHEMA and its first RECORD, no STATE (the run is partial by design).
/// </summary>
public static class TapConnectionTest
{
    /// <summary>Runs the test; returns the records seen per stream (0 or 1). Jira errors propagate as the tap's own
    /// (<see cref="Errors.AuthException"/> for refused credentials, ...).</summary>
    /// <param name="runner">The tap, made from the config under test.</param>
    /// <param name="output">Receives each stream's SCHEMA and first RECORD.</param>
    /// <param name="ct">Stops the test.</param>
    public static async Task<IReadOnlyDictionary<string, int>> RunAsync(TapRunner runner, ChannelWriter<SingerMessage> output, CancellationToken ct)
    {
        var catalog = await runner.DiscoverAsync(ct);
        var seen = StreamRegistry.All.ToDictionary(d => d.Name, _ => 0);
        foreach (var unit in StreamRegistry.All.GroupBy(TapRunner.UnitOf))
        {
            var names = unit.Select(d => d.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var entry in catalog.Streams) entry.Metadata.Set([], "selected", names.Contains(entry.Stream));
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var channel = Channel.CreateBounded<SingerMessage>(SingerPipe.Capacity);
            var produce = Task.Run(async () =>
            {
                try { await runner.RunAsync(catalog, null, channel.Writer, stop.Token); }
                finally { channel.Writer.TryComplete(); }
            }, CancellationToken.None);
            await foreach (var message in channel.Reader.ReadAllAsync(CancellationToken.None))
            {
                switch (message)
                {
                    case SchemaMessage:
                        await output.WriteAsync(message, ct);
                        break;
                    case RecordMessage r when seen[r.Stream] == 0 && !stop.IsCancellationRequested:
                        seen[r.Stream] = 1;
                        await output.WriteAsync(message, ct);
                        if (names.All(n => seen[n] > 0)) await stop.CancelAsync();
                        break;
                }
            }
            try { await produce; }
            catch (OperationCanceledException) when (stop.IsCancellationRequested && !ct.IsCancellationRequested) { }
        }
        return seen;
    }
}
