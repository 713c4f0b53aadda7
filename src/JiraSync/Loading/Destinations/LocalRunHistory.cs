using System.Security.Cryptography;
using System.Text;
using JiraSync.Loading.Destinations.Jsonl;
using JiraSync.Runs;

namespace JiraSync.Loading.Destinations;

/// <summary>
/// Run history kept on this machine for runs the destination could not record: a destination that cannot be opened
/// (a read-only file, a path that is a directory) or that stopped accepting writes mid-run (a full disk). One folder per
/// destination under <c>$XDG_STATE_HOME/jirasync/runs/</c> (default <c>~/.local/state/jirasync/runs/</c>, the XDG Base
/// Directory specification's place for state that should persist between runs), holding the JSON-lines run history of
/// a <c>jsonl:</c> destination, the runs' extraction logs, and <c>destination.txt</c> naming the destination.
/// `jirasync runs` merges it with the destination's own history.
/// </summary>
public static class LocalRunHistory
{
    /// <summary>The folder of every destination's local history: <c>$XDG_STATE_HOME/jirasync/runs</c>, or
    /// <c>$HOME/.local/state/jirasync/runs</c> when XDG_STATE_HOME is unset or relative (the spec says to ignore a relative one).</summary>
    public static string Root
    {
        get
        {
            var state = Environment.GetEnvironmentVariable("XDG_STATE_HOME");
            if (string.IsNullOrEmpty(state) || !Path.IsPathRooted(state))
                state = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state");
            return Path.Combine(state, "jirasync", "runs");
        }
    }

    /// <summary>The local history folder of <paramref name="uri"/>: a readable name and a hash of the destination
    /// (scheme and absolute path, or the password-free PostgreSQL description), e.g. <c>duckdb-jira.duckdb-3f9a1c2b</c>.</summary>
    /// <param name="uri">The destination whose runs it holds.</param>
    public static string DirectoryFor(DestinationUri uri)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Key(uri))))[..8];
        var name = uri.Scheme is "duckdb" or "jsonl" ? Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(uri.Target))) : "";
        var readable = new string($"{uri.Scheme}-{name}".Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_').ToArray());
        return Path.Combine(Root, $"{readable[..Math.Min(readable.Length, 48)]}-{hash}");
    }

    /// <summary>The local history of <paramref name="uri"/>, as a store; nothing is created until the first write.</summary>
    /// <param name="uri">The destination whose runs it holds.</param>
    public static IRunStore Open(DestinationUri uri) => new Store(DirectoryFor(uri), Key(uri));

    /// <summary>True when some run of <paramref name="uri"/> was recorded locally.</summary>
    /// <param name="uri">The destination.</param>
    public static bool Exists(DestinationUri uri) => File.Exists(Path.Combine(DirectoryFor(uri), SqlRunStore.RunsTable + ".jsonl"));

    /// <summary>For recording a run: the destination's own run history, failing over to the local one once the destination
    /// stops accepting writes (see <see cref="RunStoreWithFallback"/>); a local history that cannot be read is left out.</summary>
    /// <param name="uri">The destination.</param>
    /// <param name="log">Where the warning goes when writes move to the local history.</param>
    public static RunStoreWithFallback WithFallback(DestinationUri uri, Logging.ILog? log) => new(uri.OpenRunStore(), () => Open(uri), log, recording: true);

    /// <summary>For reading (`jirasync runs`): the destination's run history and the local one, merged.</summary>
    /// <param name="uri">The destination.</param>
    public static RunStoreWithFallback Merged(DestinationUri uri) => new(uri.OpenRunStore(), () => Open(uri));

    private static string Key(DestinationUri uri) =>
        uri.Scheme is "duckdb" or "jsonl" ? $"{uri.Scheme}:{Path.GetFullPath(uri.Target)}" : uri.Display;

    /// <summary>A jsonl run store that also writes destination.txt (which destination the folder is for) with its first write.</summary>
    private sealed class Store(string directory, string destination) : IRunStore
    {
        private readonly JsonlRunStore _runs = new(directory);
        private bool _named;

        /// <inheritdoc/>
        public string Description => directory;
        /// <inheritdoc/>
        public string LogDirectory => _runs.LogDirectory;

        private async Task NameAsync(CancellationToken ct)
        {
            if (_named) return;
            Directory.CreateDirectory(directory);
            await File.WriteAllTextAsync(Path.Combine(directory, "destination.txt"), destination + "\n", ct);
            _named = true;
        }

        /// <inheritdoc/>
        public async Task SaveRunAsync(RunRecord run, CancellationToken ct = default) { await NameAsync(ct); await _runs.SaveRunAsync(run, ct); }
        /// <inheritdoc/>
        public async Task SaveStreamAsync(RunStreamRecord stream, CancellationToken ct = default) { await NameAsync(ct); await _runs.SaveStreamAsync(stream, ct); }
        /// <inheritdoc/>
        public async Task SaveReconciliationAsync(Reconciliation.ReconciliationReport report, CancellationToken ct = default) { await NameAsync(ct); await _runs.SaveReconciliationAsync(report, ct); }
        /// <inheritdoc/>
        public Task<IReadOnlyList<RunRecord>> ListRunsAsync(int limit, DateTimeOffset? since = null, CancellationToken ct = default) => _runs.ListRunsAsync(limit, since, ct);
        /// <inheritdoc/>
        public Task<RunRecord?> GetRunAsync(string runId, CancellationToken ct = default) => _runs.GetRunAsync(runId, ct);
        /// <inheritdoc/>
        public Task<IReadOnlyList<RunStreamRecord>> ListStreamsAsync(IReadOnlyCollection<string> runIds, CancellationToken ct = default) => _runs.ListStreamsAsync(runIds, ct);
        /// <inheritdoc/>
        public Task<IReadOnlyList<Reconciliation.ReconciliationRow>> ListReconciliationAsync(IReadOnlyCollection<string> runIds, CancellationToken ct = default) => _runs.ListReconciliationAsync(runIds, ct);
        /// <inheritdoc/>
        public ValueTask DisposeAsync() => _runs.DisposeAsync();
    }
}
