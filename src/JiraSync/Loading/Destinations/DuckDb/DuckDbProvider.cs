using JiraSync.Errors;
using JiraSync.Logging;
using JiraSync.Runs;

namespace JiraSync.Loading.Destinations.DuckDb;

/// <summary><c>duckdb:PATH</c> (also <c>duckdb://PATH</c>): an embedded DuckDB database file, one writer process at a
/// time. Run history in the same file; the run lock is the file <c>PATH.lock</c> beside it. Loading settings follow a
/// <c>?</c>: <c>duckdb:PATH?memory_limit=256MB&amp;threads=2</c> (<see cref="DuckDbSettings"/>).</summary>
internal sealed class DuckDbProvider : IDestinationProvider
{
    private const string Prefix = "duckdb:";

    /// <inheritdoc/>
    public string Scheme => "duckdb";
    /// <inheritdoc/>
    public string OptionHelp => "duckdb:PATH";
    /// <inheritdoc/>
    public string UsageHelp => "duckdb:PATH";

    /// <inheritdoc/>
    public DestinationUri? TryParse(string text)
    {
        if (!text.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)) return null;
        var path = text[Prefix.Length..];
        if (path.StartsWith("//")) path = path[2..];
        var settings = DuckDbSettings.Default;
        if (path.LastIndexOf('?') is >= 0 and var q && path[(q + 1)..].Contains('='))
        {
            settings = DuckDbSettings.Parse(path[(q + 1)..], text);
            path = path[..q];
        }
        if (path.Length == 0) throw new ConfigException($"destination '{text}' names no file; {DestinationProviders.Usage}");
        return new DestinationUri(this, path, "main", $"duckdb:{path}") { Settings = settings };
    }

    /// <inheritdoc/>
    public async Task<IDestination> OpenAsync(DestinationUri uri, ILog log, CancellationToken ct) =>
        await DuckDbDestination.OpenAsync(uri.Target, log, ct, uri.Settings as DuckDbSettings);

    /// <inheritdoc/>
    /// <remarks>The file opened with <c>access_mode=READ_ONLY</c>, session time zone UTC.</remarks>
    public Task<System.Data.Common.DbConnection> OpenQueryAsync(DestinationUri uri, CancellationToken ct) =>
        DuckDbQueryConnections.OpenAsync($"Data Source={Path.GetFullPath(uri.Target)};access_mode=READ_ONLY", Path.GetFullPath(uri.Target), ct);

    /// <inheritdoc/>
    public IRunStore OpenRunStore(DestinationUri uri) => new DuckDbRunStore(uri.Target);

    /// <inheritdoc/>
    public Task<IAsyncDisposable?> TryLockAsync(DestinationUri uri, CancellationToken ct) =>
        Task.FromResult<IAsyncDisposable?>(DestinationLock.TryAcquire(Path.GetFullPath(uri.Target) + ".lock"));

    /// <inheritdoc/>
    public string? MissingReason(DestinationUri uri) => DestinationOpenException.WrongKindMessage(uri) ?? (File.Exists(uri.Target)
        ? null : $"no DuckDB file at {Path.GetFullPath(uri.Target)} (destination {uri}); give --destination");

    /// <inheritdoc/>
    public IReadOnlyList<string> Secrets(DestinationUri uri) => [];
}
