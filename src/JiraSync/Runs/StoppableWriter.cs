using System.Threading.Channels;
using JiraSync.Singer;

namespace JiraSync.Runs;

/// <summary>The tap's output as a recorded run passes it on: once <paramref name="stop"/> fires (a stop signal), the
/// tap's next write throws, so extraction ends there and the loader commits everything written before it.</summary>
/// <param name="inner">The loader's channel.</param>
/// <param name="stop">Ends extraction.</param>
internal sealed class StoppableWriter(ChannelWriter<SingerMessage> inner, CancellationToken stop) : ChannelWriter<SingerMessage>
{
    /// <inheritdoc/>
    public override bool TryWrite(SingerMessage item)
    {
        stop.ThrowIfCancellationRequested();
        return inner.TryWrite(item);
    }

    /// <inheritdoc/>
    public override ValueTask WriteAsync(SingerMessage item, CancellationToken cancellationToken = default)
    {
        stop.ThrowIfCancellationRequested();
        return inner.WriteAsync(item, cancellationToken);
    }

    /// <inheritdoc/>
    public override ValueTask<bool> WaitToWriteAsync(CancellationToken cancellationToken = default) => inner.WaitToWriteAsync(cancellationToken);

    /// <inheritdoc/>
    public override bool TryComplete(Exception? error = null) => inner.TryComplete(error);
}
