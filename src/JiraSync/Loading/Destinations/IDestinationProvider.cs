using JiraSync.Logging;
using JiraSync.Runs;

namespace JiraSync.Loading.Destinations;

/// <summary>
/// Everything JiraSync knows about one destination backend (DuckDB, PostgreSQL, JSON lines), in one place: how its
/// <c>--destination</c> text looks, how to open it for loading, where its run history and run lock live, whether it
/// exists yet, which parts of its URI are secret, and its line in help texts. Each backend is one folder under
/// Loading/Destinations/ with one provider, registered in <see cref="DestinationProviders.All"/>; nothing else
/// switches over the scheme, so a new backend is one new folder and one registration line.
/// </summary>
public interface IDestinationProvider
{
    /// <summary>The short name of the backend ("duckdb", "postgres", "jsonl"), as <see cref="DestinationUri.Scheme"/>.</summary>
    string Scheme { get; }

    /// <summary>The accepted forms for a command-line option's description, e.g. "duckdb:PATH"; several forms are
    /// separated by " | ".</summary>
    string OptionHelp { get; }

    /// <summary>The accepted forms for an error message's "use …" hint, e.g. "duckdb:PATH".</summary>
    string UsageHelp { get; }

    /// <summary>This backend's parse of <paramref name="text"/> (trimmed, not empty), or null when the text is not
    /// in one of its forms (then the next provider is asked).</summary>
    /// <exception cref="Errors.ConfigException">The text is in this backend's form but wrong (names no file, a bad
    /// option); the message never contains a password.</exception>
    /// <param name="text">The --destination value.</param>
    DestinationUri? TryParse(string text);

    /// <summary>Opens the destination for loading (and reading back its state and tables), creating the file,
    /// folder or schema when missing.</summary>
    /// <exception cref="Errors.ConfigException">The file or folder cannot be created.</exception>
    /// <exception cref="Errors.RunFailedException">The database cannot be opened or reached.</exception>
    /// <param name="uri">A URI this provider parsed.</param>
    /// <param name="log">The run's log (the destination's warnings and timings).</param>
    /// <param name="ct">Cancels the operation.</param>
    Task<IDestination> OpenAsync(DestinationUri uri, ILog log, CancellationToken ct);

    /// <summary>A read-only connection to the destination's data for `jirasync query`, on which unqualified table names
    /// resolve to the destination's tables (and views). Called only when <see cref="MissingReason"/> is null.</summary>
    /// <exception cref="Errors.RunFailedException">The database cannot be opened (in use, unreachable, login refused).</exception>
    /// <param name="uri">A URI this provider parsed.</param>
    /// <param name="ct">Cancels the operation.</param>
    Task<System.Data.Common.DbConnection> OpenQueryAsync(DestinationUri uri, CancellationToken ct);

    /// <summary>The run history kept with the destination (<c>_jirasync_runs</c>, <c>_jirasync_run_streams</c>).
    /// Opening is lazy: nothing is created until the first write.</summary>
    /// <param name="uri">A URI this provider parsed.</param>
    IRunStore OpenRunStore(DestinationUri uri);

    /// <summary>Takes the destination's run lock (never two runs loading into it at once), or returns null when
    /// another run holds it. Disposing releases it; a dead holder's lock is released by the OS or the server.</summary>
    /// <param name="uri">A URI this provider parsed.</param>
    /// <param name="ct">Cancels the operation.</param>
    Task<IAsyncDisposable?> TryLockAsync(DestinationUri uri, CancellationToken ct);

    /// <summary>Why the destination cannot be read because it does not exist yet (a one-line reason naming the
    /// path), or null when it exists or existence cannot be told without connecting (a database server).
    /// Readers (<c>runs</c>, <c>query</c>) check this so a mistyped path does not create an empty destination.</summary>
    /// <param name="uri">A URI this provider parsed.</param>
    string? MissingReason(DestinationUri uri);

    /// <summary>The parts of the parsed URI that are secrets (a password), to be redacted from every line the
    /// process prints. Empty when there are none.</summary>
    /// <param name="uri">A URI this provider parsed.</param>
    IReadOnlyList<string> Secrets(DestinationUri uri);
}
