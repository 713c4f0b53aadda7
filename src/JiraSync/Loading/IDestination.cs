using System.Text.Json.Nodes;

namespace JiraSync.Loading;

/// <summary>
/// Where streams are loaded: a DuckDB file, a PostgreSQL schema, or a directory of JSON-lines files.
/// Chosen by <see cref="Destinations.DestinationUri"/> (one provider per backend). Not thread-safe: one loader drives one destination.
/// </summary>
public interface IDestination : IAsyncDisposable
{
    /// <summary>A description safe to print (no password).</summary>
    string Name { get; }

    /// <summary>True when the destination loads typed column values (<see cref="StagedRow.Values"/>): the loader then
    /// converts each record as it arrives and keeps only the values. False: it keeps the JSON record.</summary>
    bool WantsColumnValues { get; }

    /// <summary>Which source's state this destination reads and writes (default "default"). Several sources
    /// (Jira sites, project partitions) may load into one destination, each resuming from its own state;
    /// set it before the first read. See <see cref="StateKeys"/>.</summary>
    string StateKey { get; set; }

    /// <summary>True when other processes may load into this destination at the same time (a project partition's
    /// sync): the destination then keeps to paths that cannot deadlock against their upserts. Set before the first batch.</summary>
    bool SharedWithOtherLoads { get; set; }

    /// <summary>The state committed with the last batch, or null before the first one.</summary>
    /// <param name="ct">Cancels the operation.</param>
    Task<JsonObject?> ReadStateAsync(CancellationToken ct = default);

    /// <summary>Replaces the stored state on its own (used by --reset).</summary>
    /// <param name="state">The Singer state object (bookmarks, currently_syncing) to store under <see cref="StateKey"/>.</param>
    /// <param name="ct">Cancels the operation.</param>
    Task WriteStateAsync(JsonObject state, CancellationToken ct = default);

    /// <summary>Creates or evolves the stream's table (new columns, widened types; never drops or narrows)
    /// and returns the table as it now is: the column types rows must be converted to.</summary>
    /// <param name="desired">The table the stream's SCHEMA message asks for (<see cref="TableSchema.From"/>).</param>
    /// <param name="ct">Cancels the operation.</param>
    Task<TableSchema> ApplySchemaAsync(TableSchema desired, CancellationToken ct = default);

    /// <summary>Loads the batch's rows, applies its activations and stores its state, all in one transaction.</summary>
    /// <param name="batch">Rows, activations, cascades, hooks and the state that covers them.</param>
    /// <param name="ct">Cancels the commit (the transaction then rolls back).</param>
    /// <returns>Per stream: rows inserted, updated and marked deleted.</returns>
    Task<IReadOnlyDictionary<string, StreamCounts>> CommitAsync(LoadBatch batch, CancellationToken ct = default);

    /// <summary>Called once after a load's last batch committed; SQL destinations run the hooks' after-load work
    /// (<see cref="ISqlBatchHook.AfterLoadAsync"/>). Default: nothing.</summary>
    /// <param name="hooks">The load's <see cref="LoadOptions.SqlBatchHooks"/>.</param>
    /// <param name="ct">Cancels the operation.</param>
    Task AfterLoadAsync(IReadOnlyList<ISqlBatchHook> hooks, CancellationToken ct = default) => Task.CompletedTask;

    /// <summary>Row counts of the given streams' tables (missing tables are left out).</summary>
    /// <param name="streams">Stream (table) names.</param>
    /// <param name="ct">Cancels the operation.</param>
    Task<IReadOnlyList<TableRowCount>> CountRowsAsync(IEnumerable<string> streams, CancellationToken ct = default);

    /// <summary>Rows of a stream's table (only live ones, <c>_sdc_deleted_at</c> null, unless <paramref name="liveOnly"/> is
    /// false), the named columns as text, for the reconciliation. Null when the table or a column does not exist, or the
    /// destination cannot be read back (jsonl).</summary>
    /// <param name="stream">The stream (table) name.</param>
    /// <param name="columns">Column names; each row has one value per name, in this order.</param>
    /// <param name="liveOnly">Leave out rows marked deleted.</param>
    /// <param name="ct">Cancels the operation.</param>
    Task<IReadOnlyList<string?[]>?> ReadRowsAsync(string stream, IReadOnlyList<string> columns, bool liveOnly = true, CancellationToken ct = default);

    /// <summary>Live rows of a stream's table counted per value of <paramref name="column"/> (as text); null as above.</summary>
    /// <param name="stream">The stream (table) name.</param>
    /// <param name="column">The column to group by (e.g. issueId).</param>
    /// <param name="ct">Cancels the operation.</param>
    Task<IReadOnlyDictionary<string, long>?> CountLiveRowsByAsync(string stream, string column, CancellationToken ct = default);
}
