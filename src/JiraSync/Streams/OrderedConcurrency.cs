using System.Runtime.CompilerServices;

namespace JiraSync.Streams;

/// <summary>
/// Runs independent requests concurrently (at most <c>maxInFlight</c> at once; the client's gate
/// bounds the total) while yielding results in input order, so records keep a deterministic order
/// and memory holds at most maxInFlight results.
/// </summary>
internal static class OrderedConcurrency
{
    public static async IAsyncEnumerable<TResult> MapAsync<T, TResult>(IEnumerable<T> source,
        Func<T, CancellationToken, Task<TResult>> map, int maxInFlight, [EnumeratorCancellation] CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var queue = new Queue<Task<TResult>>();
        try
        {
            foreach (var item in source)
            {
                if (queue.Count >= Math.Max(1, maxInFlight)) yield return await queue.Dequeue();
                queue.Enqueue(map(item, cts.Token));
            }
            while (queue.Count > 0) yield return await queue.Dequeue();
        }
        finally
        {
            if (queue.Count > 0)
            {
                cts.Cancel(); // a failure or an early stop: do not leave requests running unobserved
                try { await Task.WhenAll(queue); } catch { /* already failing or cancelled */ }
            }
        }
    }
}
