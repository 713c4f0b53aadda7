using System.Text.Json.Nodes;
using System.Threading.Channels;
using JiraSync.Loading;
using JiraSync.Logging;
using JiraSync.Singer;
using JiraSync.Streams;

namespace JiraSync.Sync;

/// <summary>
/// `sync` in process: the tap writes messages into a bounded channel, the loader reads them, no JSON round
/// trip. The tap starts from the state stored in the destination. If extraction fails, the loader still
/// commits what it received (with the last state the tap emitted, which never runs ahead of the rows), then
/// the extraction error is rethrown; if loading fails, extraction is cancelled.
/// </summary>
internal static class SyncPipeline
{
    /// <summary>Messages in flight between tap and loader: enough to keep both busy, small enough to bound memory. A
    /// record built over a response keeps that whole response alive (an issue page is up to a few MB), so 2,000 queued
    /// issues held some twenty pages; 256 hold about three.</summary>
    public const int ChannelCapacity = 256;

    /// <summary>The memory budget of a sync's batches (<see cref="LoadOptions.MemoryBudgetBytes"/>): half of target's. The
    /// batches are what a sync holds most of (a 10k-issue sync into PostgreSQL peaked at 516-531 MB with 32 MB batches,
    /// 360 MB with 16 MB, 353 MB with 8 MB; bench/RESULTS.md "Memory"), and extraction, not loading, sets a sync's
    /// pace, so smaller batches cost it no throughput.</summary>
    public const long BatchBytes = 16L << 20;

    /// <summary>Runs the tap into the loader from the state stored in <paramref name="destination"/>; returns the load's report.</summary>
    /// <param name="tap">The tap to run.</param>
    /// <param name="catalog">The selection, or null for every stream and field.</param>
    /// <param name="destination">Where the loader writes (its state is where the tap starts).</param>
    /// <param name="loader">The loader driving <paramref name="destination"/>.</param>
    /// <param name="log">Where progress lines go.</param>
    /// <param name="ct">Aborts extraction and loading.</param>
    /// <param name="observe">Optional wrapper of the tap's output (the run history times each stream with it).</param>
    public static async Task<LoadReport> RunAsync(TapRunner tap, Catalog? catalog, IDestination destination, Loader loader, ILog log, CancellationToken ct = default,
        Func<ChannelWriter<SingerMessage>, ChannelWriter<SingerMessage>>? observe = null)
    {
        var state = await destination.ReadStateAsync(ct);
        if (state is not null) log.Info($"resuming from the state stored in {destination.Name}");
        var channel = Channel.CreateBounded<SingerMessage>(new BoundedChannelOptions(ChannelCapacity) { SingleReader = true });
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var producer = Task.Run(async () =>
        {
            try { await tap.RunAsync(catalog, state, observe?.Invoke(channel.Writer) ?? channel.Writer, cts.Token); }
            finally { channel.Writer.TryComplete(); }
        }, CancellationToken.None);
        LoadReport report;
        try
        {
            report = await loader.LoadAsync(channel.Reader, ct);
        }
        catch
        {
            await cts.CancelAsync();
            try { await producer; } catch { /* the loading error is the one to report */ }
            throw;
        }
        await producer;
        return report;
    }

    /// <summary>Forgets streams' bookmarks so their next sync starts from start_date (--reset).</summary>
    public static JsonObject ForgetBookmarks(JsonObject? state, IEnumerable<string> streams)
    {
        var result = state?.DeepClone().AsObject() ?? new JsonObject();
        var bookmarks = result["bookmarks"] as JsonObject;
        foreach (var s in streams)
        {
            bookmarks?.Remove(s);
            if (result["currently_syncing"] is JsonValue v && v.TryGetValue<string>(out var current) && current == s)
                result["currently_syncing"] = null;
        }
        return result;
    }
}
