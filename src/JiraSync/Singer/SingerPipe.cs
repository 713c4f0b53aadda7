using System.Threading.Channels;

namespace JiraSync.Singer;

/// <summary>
/// Connects a message producer (the tap) to a <see cref="SingerWriter"/> through a bounded channel,
/// so extraction and writing overlap with bounded memory. When the producer fails, every message it
/// already wrote is still written (records and the last STATE reach the consumer) before the error
/// is rethrown; when writing fails (stdout closed), the producer is cancelled.
/// </summary>
public static class SingerPipe
{
    /// <summary>Messages the channel holds before the producer waits for the writer.</summary>
    public const int Capacity = 1024;

    /// <summary>Runs <paramref name="produce"/> into <paramref name="writer"/> until the producer returns and every
    /// message is written.</summary>
    /// <param name="produce">Writes messages to the channel (it must not complete the channel itself).</param>
    /// <param name="writer">Where the messages go, in order.</param>
    /// <param name="ct">Cancels the producer; messages already queued are still written.</param>
    /// <exception cref="Exception">The producer's exception, after its messages were written; else the writer's.</exception>
    public static async Task RunAsync(Func<ChannelWriter<SingerMessage>, CancellationToken, Task> produce,
        SingerWriter writer, CancellationToken ct)
    {
        var channel = Channel.CreateBounded<SingerMessage>(new BoundedChannelOptions(Capacity) { SingleReader = true, SingleWriter = false });
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var pump = Task.Run(async () =>
        {
            try { await writer.WriteAllAsync(channel.Reader, CancellationToken.None); }
            catch { cts.Cancel(); throw; }
        }, CancellationToken.None);
        Exception? produceError = null;
        try { await produce(channel.Writer, cts.Token); }
        catch (Exception ex) { produceError = ex; }
        channel.Writer.TryComplete();
        try { await pump; }
        catch when (produceError is null or OperationCanceledException) { throw; } // the writer's failure is the cause
        catch { /* the producer's error below is the one to report */ }
        if (produceError != null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(produceError);
    }
}
