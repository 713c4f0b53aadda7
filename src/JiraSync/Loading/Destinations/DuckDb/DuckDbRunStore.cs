using System.Data.Common;
using DuckDB.NET.Data;
using JiraSync.Errors;
using JiraSync.Runs;

namespace JiraSync.Loading.Destinations.DuckDb;

/// <summary>Run history inside the DuckDB destination file. Connections are opened per call: DuckDB.NET shares
/// one database instance per file within the process, so this coexists with the loader's open connection.</summary>
internal sealed class DuckDbRunStore(string path) : SqlRunStore
{
    private readonly string _path = Path.GetFullPath(path);

    /// <inheritdoc/>
    public override string Description => $"duckdb:{_path}";
    /// <inheritdoc/>
    public override string LogDirectory => Path.Combine(Path.GetDirectoryName(_path)!, "logs");
    // DuckDB's TIMESTAMPTZ needs the ICU extension to convert; a plain TIMESTAMP holding UTC avoids that dependency.
    /// <inheritdoc/>
    protected override string TimestampType => "TIMESTAMP";
    /// <inheritdoc/>
    protected override string Table(string name) => name;

    /// <inheritdoc/>
    protected override async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        var c = new DuckDBConnection($"Data Source={_path}");
        try { await c.OpenAsync(ct); }
        catch (DuckDBException e) when (e.Message.Contains("lock", StringComparison.OrdinalIgnoreCase))
        {
            // DuckDB lets one process open a file at a time: a sync running elsewhere holds it until it finishes.
            await c.DisposeAsync();
            throw new RunFailedException($"the DuckDB file {_path} is in use by another process (a sync running?); try again when it has finished", e);
        }
        return c;
    }
}
