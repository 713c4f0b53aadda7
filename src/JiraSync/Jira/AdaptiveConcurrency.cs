namespace JiraSync.Jira;

/// <summary>One change of the concurrency limit: when (since the client started), the new limit and why.</summary>
internal sealed record ConcurrencyChange(TimeSpan At, int Limit, string Reason);

/// <summary>
/// The number of requests the client lets be in flight, adjusted by what Jira's answers say about the rate
/// limit (additive increase, multiplicative decrease, as TCP congestion control): it starts at
/// max_concurrency; a 429 or an answer near the limit halves it (at least 1); after as many clean answers in a
/// row as the current limit (about one round of requests) it rises by one, back to max_concurrency. A burst
/// of answers to requests that were already in flight when the limit dropped counts once, so one overloaded
/// moment halves the limit once, not once per worker. Thread-safe; deterministic for a given sequence of
/// acquisitions and answers. Waiting requests are granted in arrival order, except that bulk reads (see
/// <see cref="RequestPriority"/>) wait behind every other waiting request.
/// </summary>
internal sealed class AdaptiveConcurrency
{
    private readonly object _sync = new();
    private readonly LinkedList<TaskCompletionSource<long>> _waiters = new();
    private readonly LinkedList<TaskCompletionSource<long>> _bulkWaiters = new();
    private readonly List<ConcurrencyChange> _history = [];
    private readonly TimeProvider _time;
    private readonly long _started;
    private int _limit, _inFlight, _clean, _lowest;
    private long _ticket, _lastDecreaseTicket;

    /// <param name="max">max_concurrency: the start and the ceiling (at least 1).</param>
    /// <param name="time">Clock for the change history (tests pass a fake one).</param>
    internal AdaptiveConcurrency(int max, TimeProvider? time = null)
    {
        Max = Math.Max(1, max);
        _limit = _lowest = Max;
        _time = time ?? TimeProvider.System;
        _started = _time.GetTimestamp();
        _history.Add(new ConcurrencyChange(TimeSpan.Zero, Max, "max_concurrency"));
    }

    /// <summary>The ceiling: max_concurrency.</summary>
    internal int Max { get; }

    /// <summary>Requests allowed in flight now.</summary>
    internal int Limit { get { lock (_sync) return _limit; } }

    /// <summary>The lowest limit so far.</summary>
    internal int Lowest { get { lock (_sync) return _lowest; } }

    /// <summary>Every change so far, the start (max_concurrency) first.</summary>
    internal IReadOnlyList<ConcurrencyChange> History { get { lock (_sync) return _history.ToArray(); } }

    /// <summary>Raised after each change, outside the lock (for logging).</summary>
    internal event Action<ConcurrencyChange>? Changed;

    /// <summary>Waits for a free slot under the current limit; returns the request's ticket for <see cref="Release"/>.</summary>
    /// <param name="ct">Stops waiting (the request then never holds a slot).</param>
    /// <param name="bulk">A bulk read: granted only when no other request waits.</param>
    internal ValueTask<long> AcquireAsync(CancellationToken ct, bool bulk = false)
    {
        TaskCompletionSource<long> waiter;
        LinkedListNode<TaskCompletionSource<long>> node;
        lock (_sync)
        {
            if (_inFlight < _limit && _waiters.Count == 0 && (!bulk || _bulkWaiters.Count == 0))
            {
                _inFlight++;
                return ValueTask.FromResult(++_ticket);
            }
            waiter = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            node = (bulk ? _bulkWaiters : _waiters).AddLast(waiter);
        }
        if (ct.CanBeCanceled)
        {
            var registration = ct.Register(() =>
            {
                lock (_sync)
                {
                    if (node.List is not { } list) return; // already granted
                    list.Remove(node);
                }
                waiter.TrySetCanceled(ct);
            });
            _ = waiter.Task.ContinueWith(_ => registration.Dispose(), TaskScheduler.Default);
        }
        return new ValueTask<long>(waiter.Task);
    }

    /// <summary>Frees the slot of request <paramref name="ticket"/> and adjusts the limit by what its answer said.</summary>
    internal void Release(long ticket, RateLimitSignal signal)
    {
        ConcurrencyChange? change = null;
        var grant = new List<(TaskCompletionSource<long> Waiter, long Ticket)>();
        lock (_sync)
        {
            _inFlight--;
            switch (signal)
            {
                case RateLimitSignal.Limited or RateLimitSignal.NearLimit:
                    _clean = 0;
                    // Only answers to requests sent after the last decrease may decrease again.
                    if (ticket > _lastDecreaseTicket && _limit > 1)
                    {
                        _limit = Math.Max(1, _limit / 2);
                        _lowest = Math.Min(_lowest, _limit);
                        change = Record(signal == RateLimitSignal.Limited ? "429 Too Many Requests" : "rate-limit budget nearly spent");
                    }
                    _lastDecreaseTicket = Math.Max(_lastDecreaseTicket, _ticket);
                    break;
                case RateLimitSignal.Clean when _limit < Max:
                    if (++_clean >= _limit)
                    {
                        _limit++;
                        _clean = 0;
                        change = Record(_limit == 2 ? "a clean answer" : $"{_limit - 1} clean answers in a row");
                    }
                    break;
            }
            while (_inFlight < _limit && (_waiters.First ?? _bulkWaiters.First) is { } first)
            {
                first.List!.RemoveFirst();
                _inFlight++;
                grant.Add((first.Value, ++_ticket));
            }
        }
        foreach (var (waiter, t) in grant)
            if (!waiter.TrySetResult(t)) Release(t, RateLimitSignal.Neutral); // cancelled meanwhile: give the slot back
        if (change is not null) Changed?.Invoke(change);
    }

    private ConcurrencyChange Record(string reason)
    {
        var change = new ConcurrencyChange(_time.GetElapsedTime(_started), _limit, reason);
        _history.Add(change);
        return change;
    }
}
