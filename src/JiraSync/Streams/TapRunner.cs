using System.Text.Json.Nodes;
using System.Threading.Channels;
using JiraSync.Config;
using JiraSync.Jira;
using JiraSync.Logging;
using JiraSync.Singer;

namespace JiraSync.Streams;

/// <summary>
/// The tap: discovery, and a sync that writes Singer messages to a channel. The channel is the
/// contract with every consumer (stdout writer for `tap`, the loader for `sync`):
/// SCHEMA of every selected stream first; RECORDs with time_extracted (children carry issueId /
/// projectId); STATE after every page, so a run killed anywhere and restarted from any STATE
/// it emitted loses nothing (units run concurrently, up to max_parallel_streams, and each STATE holds every
/// unit's committed bookmarks, see <see cref="TapOutput"/>); an issue and the children re-sent with it are
/// written together; ACTIVATE_VERSION around full-table streams; deleted issues and
/// worklogs as RECORDs with _sdc_deleted_at. RunAsync does not complete the channel: the caller does
/// (Complete(exception) on failure), after the messages already written have been consumed.
/// </summary>
/// <param name="api">The Jira client (or a test double of it).</param>
/// <param name="config">The tap's config: start date, projects, groups, page size, concurrency.</param>
/// <param name="log">Progress, warnings and Singer METRIC lines.</param>
public sealed class TapRunner(IJiraApi api, JiraSyncConfig config, ILog log)
{
    /// <summary>Selected streams the last <see cref="RunAsync"/> skipped because Jira refused what they need (403/404), with why.</summary>
    internal IReadOnlyDictionary<string, string> Skipped { get; private set; } = new Dictionary<string, string>();

    /// <summary>Set by `sync`: the sweep records Jira's census and per-issue totals here for the reconciliation.</summary>
    internal IssueTally? Tally { get; init; }

    /// <summary>What <see cref="DiscoverAsync"/> read (the site and the field list), kept for the one
    /// <see cref="RunAsync"/> that follows it: `sync --streams` discovers, then runs, and asks Jira once. The site's
    /// clock is then a few seconds old, which only makes the run's cut-off (no bookmark past the run's start on Jira's
    /// clock) and the first worklog-deletion bookmark earlier: safe, at worst a few seconds read again next run.</summary>
    private SiteRead? _discovered;

    private sealed record SiteRead(JiraInstanceInfo Instance, IReadOnlyList<JiraField>? Fields);

    /// <summary>Jira's instance facts and, when <paramref name="withFields"/>, its field list, asked at once (three round
    /// trips in the time of one); the instance's outcome is reported first (myself proves the credentials).</summary>
    private async Task<SiteRead> ReadSiteAsync(bool withFields, CancellationToken ct)
    {
        var fields = withFields ? JiraField.ListAsync(api, log, ct) : Task.FromResult<IReadOnlyList<JiraField>?>(null);
        try
        {
            var instance = await JiraSession.LoadAsync(api, log, ct);
            return new SiteRead(instance, await fields);
        }
        catch when (!fields.IsCompletedSuccessfully)
        {
            _ = fields.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            throw;
        }
    }

    /// <summary>The catalog of every stream (asks Jira whether it is Cloud or Server: the users key differs).</summary>
    /// <param name="ct">Cancels the requests (serverInfo, myself, the field list).</param>
    public async Task<Catalog> DiscoverAsync(CancellationToken ct = default)
    {
        var site = await ReadSiteAsync(withFields: true, ct);
        _discovered = site;
        return Discovery.BuildCatalog(site.Instance.IsServer, site.Fields);
    }

    /// <summary>Extracts the selected streams as Singer messages, resuming from <paramref name="state"/>'s bookmarks.</summary>
    /// <param name="catalog">Selection; null selects every stream and field.</param>
    /// <param name="state">A previous run's last STATE value (or null for a first run).</param>
    /// <param name="output">Receives the messages; not completed here.</param>
    /// <param name="ct">Stops the run after the message in flight.</param>
    /// <exception cref="SingerFormatException">The catalog or state names an unknown stream or property (exit 2).</exception>
    /// <exception cref="JiraRequestException">Jira refused a request the run cannot do without (401/403: exit 3).</exception>
    /// <exception cref="Errors.ConnectionException">Jira cannot be reached (exit 4).</exception>
    public async Task RunAsync(Catalog? catalog, JsonObject? state, ChannelWriter<SingerMessage> output, CancellationToken ct)
    {
        var started = DateTimeOffset.UtcNow;
        if (catalog != null) CatalogValidator.Validate(catalog, "catalog");
        var tapState = TapState.FromJson(state);
        // Read every run, not taken from the catalog: a custom field created since discovery gets its column now;
        // sprint_issues finds the Sprint field in it. Only a discovery by this runner just before stands in for it.
        var needFields = catalog is null || catalog.Find("issues") is { IsSelected: true } || catalog.Find("sprint_issues") is { IsSelected: true };
        var site = Interlocked.Exchange(ref _discovered, null) ?? await ReadSiteAsync(needFields, ct);
        var instance = site.Instance;
        var fields = needFields ? site.Fields : null;
        WarnFutureBookmarks(tapState, instance.ServerTime);
        catalog ??= Discovery.SelectAll(Discovery.BuildCatalog(instance.IsServer, fields));

        var plans = StreamRegistry.All.ToDictionary(d => d.Name, d => StreamPlan.Build(d, catalog.Find(d.Name), instance.IsServer, fields));
        // A partition other than the first writes only the issue family of its projects; partition 1 writes the site-wide streams.
        var leftToFirst = new List<string>();
        if (config.Partition is { OwnsSiteStreams: false })
            foreach (var d in StreamRegistry.All.Where(d => !IsPartitioned(d) && plans[d.Name].Selected))
            {
                plans[d.Name] = plans[d.Name] with { Selected = false };
                leftToFirst.Add(d.Name);
            }
        var tapOutput = new TapOutput(output, tapState, plans, log);
        var ctx = new TapContext(api, config, log, instance, tapOutput) { Fields = fields, Tally = Tally };
        Skipped = tapOutput.Skipped;

        var selected = plans.Values.Where(p => p.Selected).ToList();
        if (selected.Count == 0)
            log.Warn(leftToFirst.Count > 0
                ? $"partition {config.Partition}: {string.Join(", ", leftToFirst)} {(leftToFirst.Count == 1 ? "is a site-wide stream" : "are site-wide streams")}, written by partition 1/{config.Partition!.Count} only; nothing to extract in this partition"
                : "no stream is selected in the catalog; nothing to extract");
        else await ctx.ResolveProjectScopeAsync(ct);
        foreach (var plan in selected) await tapOutput.SchemaAsync(plan, ct);

        var units = Units(tapState.CurrentlySyncing)
            .Select(u => new Unit(u, StreamRegistry.All.Where(d => UnitOf(d) == u).ToList()))
            .Where(u => u.Streams.Any(d => plans[d.Name].Selected)).ToList();
        await RunUnitsAsync(ctx, tapOutput, plans, units, ct);
        tapOutput.SetCurrentlySyncing(null);
        await tapOutput.StateAsync(ct);
        log.Metric("counter", "http_request_count", api.Metrics.Requests);
        log.Metric("timer", "job_duration", (DateTimeOffset.UtcNow - started).TotalSeconds,
            new JsonObject { ["job_type"] = "tap", ["status"] = "succeeded" });
    }

    /// <summary>Told when each unit starts and ends (the run history times units with it); null: nobody.</summary>
    public ITapUnitObserver? Observer { get; set; }

    /// <summary>One unit of extraction: its name (currently_syncing's value) and its streams in registry order.</summary>
    private sealed record Unit(string Name, IReadOnlyList<StreamDefinition> Streams);

    /// <summary>
    /// Runs the units, up to max_parallel_streams at once, each in its own async flow (<see cref="Task.Run(Func{Task})"/>)
    /// with its own view of the output. They start in order; every request any of them makes waits for the client's one
    /// gate, so max_concurrency still bounds what Jira sees. The first unit to fail stops the others (they end at their
    /// next request or write) and its error is thrown once all have ended; what they emitted before stays valid, since
    /// each STATE holds only bookmarks whose records precede it.
    /// </summary>
    private async Task RunUnitsAsync(TapContext ctx, TapOutput output, IReadOnlyDictionary<string, StreamPlan> plans, List<Unit> units, CancellationToken ct)
    {
        var parallel = Math.Max(1, config.MaxParallelStreams);
        var order = new UnitOrder(units.Select(u => u.Name));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var slots = new SemaphoreSlim(parallel);
        var running = new List<Task>();
        Exception? failure = null;
        foreach (var unit in units)
        {
            try { await slots.WaitAsync(stop.Token); }
            catch (OperationCanceledException) { break; }
            output.SetCurrentlySyncing(order.Start(unit.Name));
            running.Add(Task.Run(async () =>
            {
                try { await RunUnitAsync(ctx, output, plans, unit, order, stop.Token); }
                catch (Exception ex) when (!(ex is OperationCanceledException && stop.IsCancellationRequested))
                {
                    if (Interlocked.CompareExchange(ref failure, ex, null) is null) await stop.CancelAsync();
                }
                catch (OperationCanceledException) { /* stopped by another unit's failure or by the caller */ }
                finally { slots.Release(); }
            }, CancellationToken.None));
        }
        await Task.WhenAll(running);
        if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        ct.ThrowIfCancellationRequested();
    }

    private async Task RunUnitAsync(TapContext runContext, TapOutput runOutput, IReadOnlyDictionary<string, StreamPlan> plans, Unit unit,
        UnitOrder order, CancellationToken ct)
    {
        var output = runOutput.ForUnit(unit.Streams.Select(d => d.Name));
        var ctx = runContext.ForUnit(output);
        Observer?.UnitStarted(unit.Name);
        Exception? error = null;
        try
        {
            log.Info($"syncing {unit.Name}");
            await output.StateAsync(ct);
            try
            {
                await SyncUnitAsync(ctx, unit.Streams, ct);
                foreach (var d in unit.Streams.Where(d => plans[d.Name].Selected)) output.ReportCount(d.Name);
            }
            catch (Exception ex) when (unit.Name != "issues" && ex is JiraForbiddenException or JiraNotFoundException)
            {
                // A lookup these streams share (the project list, users/search) refused: skip them, extract the rest.
                foreach (var d in unit.Streams.Where(d => plans[d.Name].Selected))
                    output.Skip(d.Name, $"{ex.Message}; the other streams go on");
            }
            runOutput.SetCurrentlySyncing(order.Finish(unit.Name));
        }
        catch (Exception ex)
        {
            error = ex;
            throw;
        }
        finally
        {
            Observer?.UnitFinished(unit.Name, error);
        }
    }

    /// <summary>A bookmark after Jira's clock (a state edited by hand, or from a site whose clock ran ahead) finds
    /// nothing until Jira's clock passes it; say so once per bookmark rather than load nothing without a word.</summary>
    private void WarnFutureBookmarks(TapState state, DateTimeOffset jiraNow)
    {
        foreach (var (stream, key, at) in state.DateBookmarks())
            if (at > jiraNow.AddMinutes(5) && key is "updated" or "since" or "created")
                log.Warn($"bookmarks.{stream}.{key} {SingerTime.Format(at)} is after Jira's current time {SingerTime.Format(jiraNow)}: " +
                         $"{stream} extracts nothing changed before it; forget that bookmark (sync --reset {stream}, or remove it from the state) to extract from start_date");
    }

    /// <summary>The units whose requests form the run's longest chains, started before the others: the issue sweep
    /// (id page, then its issue pages, then the verification and deletion listings) and the worklog feed (one page of ids
    /// after the other, each turned into worklogs). Started last, behind max_parallel_streams short metadata units, they
    /// would end last and alone; started first, the short units fill the slots they leave free.</summary>
    private static readonly string[] LongChains = ["issues", "worklogs"];

    /// <summary>Units in registry order, rotated to start at the one a killed run was in (singer-python's
    /// get_selected_streams): the interrupted stream resumes from its bookmark, the rest follow; then the
    /// <see cref="LongChains"/> move forward, behind the interrupted unit.</summary>
    private static List<string> Units(string? currentlySyncing)
    {
        var units = StreamRegistry.All.Select(UnitOf).Distinct().ToList();
        var at = currentlySyncing == null ? -1 : units.IndexOf(UnitOf(StreamRegistry.Find(currentlySyncing) ?? StreamRegistry.All[0]));
        List<string> rotated = at <= 0 ? units : [.. units.Skip(at), .. units.Take(at)];
        return rotated.Select((u, i) => (u, rank: i == 0 && at >= 0 ? -1 : Array.IndexOf(LongChains, u) is var c and >= 0 ? c : LongChains.Length))
            .OrderBy(x => x.rank).Select(x => x.u).ToList();
    }

    /// <summary>True for the streams <c>--partition</c> splits by project: the issue family (issues and every stream read
    /// from the issue sweep). Every other stream is site-wide, written by partition 1 only: the full tables are replaced
    /// whole by ACTIVATE_VERSION, and the worklog feed lists the whole site (its deletions carry no issue).</summary>
    /// <param name="d">The stream.</param>
    public static bool IsPartitioned(StreamDefinition d) => d.Fetcher == FetcherKind.IssueFamily;

    /// <summary>The unit of extraction that reads <paramref name="d"/> (the name `currently_syncing` and
    /// <see cref="ITapUnitObserver"/> use): the issue family shares one sweep, named after its parent ("issues"); every
    /// other stream is its own unit.</summary>
    /// <param name="d">The stream.</param>
    public static string UnitOf(StreamDefinition d) => d.Fetcher == FetcherKind.IssueFamily ? "issues" : d.Name;

    private static async Task SyncUnitAsync(TapContext ctx, IReadOnlyList<StreamDefinition> streams, CancellationToken ct)
    {
        var def = streams[0];
        switch (def.Fetcher)
        {
            case FetcherKind.IssueFamily: await IssueFamilyFetcher.SyncAsync(ctx, ct); break;
            case FetcherKind.Worklogs: await WorklogsFetcher.SyncAsync(ctx, def, ct); break;
            case FetcherKind.Users: await UsersFetcher.SyncAsync(ctx, def, ct); break;
            default: await DeclaredStreamFetcher.SyncAsync(ctx, def, ct); break;
        }
    }
}
