using JiraSync.Errors;
using JiraSync.Logging;
using JiraSync.Runs;

namespace JiraSync.Loading.Destinations.Jsonl;

/// <summary><c>jsonl:DIR</c> (also <c>jsonl://DIR</c>): a folder of JSON-lines files. Run history as two more
/// JSON-lines files in it; the run lock is <c>DIR/.jirasync.lock</c>.</summary>
internal sealed class JsonlProvider : IDestinationProvider
{
    private const string Prefix = "jsonl:";

    /// <inheritdoc/>
    public string Scheme => "jsonl";
    /// <inheritdoc/>
    public string OptionHelp => "jsonl:DIR";
    /// <inheritdoc/>
    public string UsageHelp => "jsonl:DIR";

    /// <inheritdoc/>
    public DestinationUri? TryParse(string text)
    {
        if (!text.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)) return null;
        var dir = text[Prefix.Length..];
        if (dir.StartsWith("//")) dir = dir[2..];
        if (dir.Length == 0) throw new ConfigException($"destination '{text}' names no directory; {DestinationProviders.Usage}");
        return new DestinationUri(this, dir, "", $"jsonl:{dir}");
    }

    /// <inheritdoc/>
    public async Task<IDestination> OpenAsync(DestinationUri uri, ILog log, CancellationToken ct) =>
        await JsonlDestination.OpenAsync(uri.Target, log, ct);

    /// <inheritdoc/>
    /// <remarks>An in-memory DuckDB with one view per <c>STREAM.jsonl</c> file, over DuckDB's <c>read_json</c>.</remarks>
    public Task<System.Data.Common.DbConnection> OpenQueryAsync(DestinationUri uri, CancellationToken ct) =>
        DuckDb.DuckDbQueryConnections.OpenJsonlFolderAsync(Path.GetFullPath(uri.Target), ct);

    /// <inheritdoc/>
    public IRunStore OpenRunStore(DestinationUri uri) => new JsonlRunStore(uri.Target);

    /// <inheritdoc/>
    public Task<IAsyncDisposable?> TryLockAsync(DestinationUri uri, CancellationToken ct) =>
        Task.FromResult<IAsyncDisposable?>(DestinationLock.TryAcquire(Path.Combine(Path.GetFullPath(uri.Target), ".jirasync.lock")));

    /// <inheritdoc/>
    public string? MissingReason(DestinationUri uri) => DestinationOpenException.WrongKindMessage(uri) ?? (Directory.Exists(uri.Target)
        ? null : $"no folder at {Path.GetFullPath(uri.Target)} (destination {uri}); give --destination");

    /// <inheritdoc/>
    public IReadOnlyList<string> Secrets(DestinationUri uri) => [];
}
