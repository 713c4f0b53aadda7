using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace JiraSync.Streams;

/// <summary>
/// Runs independent requests concurrently (at most <c>maxInFlight</c> at once; the client's gate bounds the run's
/// total) while yielding results in input order, so records keep a deterministic order. A slot is refilled as soon as
/// its request ends, not when the consumer reaches its result: a slow first request, or a consumer busy emitting a
/// page, does not leave slots idle. Memory stays bounded: at most twice <c>maxInFlight</c> results exist at once
/// (in flight, or done and not yet taken). The source is read ahead on another flow, so it may itself be a chain of
/// requests (a feed's pages), whose next page is asked for while the previous page's items are in flight.
/// </summary>
internal static class OrderedConcurrency
{
    /// <summary>Maps <paramref name="source"/> through <paramref name="map"/>, concurrently, yielding in input order.</summary>
    public static IAsyncEnumerable<TResult> MapAsync<T, TResult>(IEnumerable<T> source,
        Func<T, CancellationToken, Task<TResult>> map, int maxInFlight, CancellationToken ct) =>
        MapAsync(Async(source), map, maxInFlight, ct);

    /// <summary>Maps an asynchronous <paramref name="source"/> (read ahead, as slots and room allow) through
    /// <paramref name="map"/>, concurrently, yielding in input order. A failure of the source or of a map is thrown
    /// when the consumer reaches it, after every earlier result; the remaining work is then cancelled and awaited.</summary>
    public static async IAsyncEnumerable<TResult> MapAsync<T, TResult>(IAsyncEnumerable<T> source,
        Func<T, CancellationToken, Task<TResult>> map, int maxInFlight, [EnumeratorCancellation] CancellationToken ct)
    {
        var limit = Math.Max(1, maxInFlight);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var slots = new SemaphoreSlim(limit);
        using var room = new SemaphoreSlim(2 * limit);
        var started = Channel.CreateUnbounded<Task<TResult>>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

        async Task<TResult> RunAsync(T item)
        {
            try { return await map(item, cts.Token).ConfigureAwait(false); }
            finally { slots.Release(); }
        }

        var producer = Task.Run(async () =>
        {
            try
            {
                await foreach (var item in source.WithCancellation(cts.Token).ConfigureAwait(false))
                {
                    await room.WaitAsync(cts.Token).ConfigureAwait(false);
                    await slots.WaitAsync(cts.Token).ConfigureAwait(false);
                    started.Writer.TryWrite(RunAsync(item));
                }
                started.Writer.TryComplete();
            }
            catch (Exception ex) { started.Writer.TryComplete(ex); }
        }, CancellationToken.None);

        try
        {
            while (await started.Reader.WaitToReadAsync(ct).ConfigureAwait(false))
                while (started.Reader.TryRead(out var next))
                {
                    var result = await next.ConfigureAwait(false);
                    room.Release();
                    yield return result;
                }
        }
        finally
        {
            // A failure or an early stop: do not leave requests running unobserved (nor the semaphores disposed under them).
            await cts.CancelAsync().ConfigureAwait(false);
            await producer.ConfigureAwait(false);
            while (started.Reader.TryRead(out var left))
                try { await left.ConfigureAwait(false); } catch { /* already failing or cancelled */ }
        }
    }

#pragma warning disable CS1998 // an iterator over a list: nothing to await
    private static async IAsyncEnumerable<T> Async<T>(IEnumerable<T> items)
    {
        foreach (var item in items) yield return item;
    }
#pragma warning restore CS1998
}
