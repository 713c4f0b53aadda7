using JiraSync.Errors;
using JiraSync.Logging;
using JiraSync.Runs;

namespace JiraSync.Loading.Destinations;

/// <summary>
/// A parsed --destination, bound to the backend that understood it (see <see cref="DestinationProviders"/>):
/// <c>duckdb:PATH</c> (the default, <c>duckdb:jirasync.duckdb</c>), <c>postgres://user[:password]@host[:port]/db[?schema=S]</c>,
/// a libpq (<c>host=h dbname=d</c>) or Npgsql (<c>Host=h;Database=d</c>) connection string (optional <c>schema=S</c>;
/// default schema "jira"), or <c>jsonl:DIR</c>. <see cref="ToString"/> never shows a password.
/// </summary>
/// <param name="Provider">The backend that parsed it and opens it.</param>
/// <param name="Target">What the backend opens: a file path, a folder, or an Npgsql connection string (which may hold a password: never print it).</param>
/// <param name="Schema">The database schema the tables go in ("main" for DuckDB, "" for jsonl).</param>
/// <param name="Display">A description safe to print: no password.</param>
public sealed record DestinationUri(IDestinationProvider Provider, string Target, string Schema, string Display)
{
    /// <summary>The destination when neither --destination nor the config's "destination" names one.</summary>
    public const string Default = "duckdb:jirasync.duckdb";

    /// <summary>The PostgreSQL schema when the URI names none.</summary>
    public const string DefaultSchema = "jira";

    /// <summary>Backend settings given with the destination (DuckDB: <see cref="DuckDb.DuckDbSettings"/>); null for the defaults.</summary>
    public object? Settings { get; init; }

    /// <summary>The backend's short name: "duckdb", "postgres" or "jsonl".</summary>
    public string Scheme => Provider.Scheme;

    /// <summary>Parses a destination (null or blank: <see cref="Default"/>) by asking each registered backend in turn.
    /// A password in it joins the process-wide redaction (<see cref="Redactor.Process"/>) at once.</summary>
    /// <exception cref="ConfigException">No backend understands the text, or the one that does finds it wrong;
    /// one line saying what is accepted, never the password.</exception>
    /// <param name="text">The --destination value or the config's "destination".</param>
    public static DestinationUri Parse(string? text)
    {
        text = string.IsNullOrWhiteSpace(text) ? Default : text.Trim();
        foreach (var provider in DestinationProviders.All)
        {
            if (provider.TryParse(text) is not { } uri) continue;
            // A password given with --destination is a secret like the config's: no line the process prints may show it.
            if (provider.Secrets(uri) is { Count: > 0 } secrets) Redactor.Process.Add(secrets);
            return uri;
        }
        throw new ConfigException($"unsupported destination {(text.IndexOf(':') is > 0 and var i ? $"scheme '{text[..(i + 1)]}'" : $"'{Shorten(text)}'")}; {DestinationProviders.Usage}");
    }

    /// <summary>The destination as messages, run titles and lock refusals name it: <see cref="Display"/>, and for
    /// PostgreSQL its schema too (<c>postgres://u@h:5432/db?schema=jira</c>), since one database holds several.</summary>
    public override string ToString() => Scheme == "postgres" ? $"{Display}?schema={Schema}" : Display;

    /// <inheritdoc cref="IDestinationProvider.OpenAsync"/>
    /// <exception cref="DestinationOpenException">A file-based destination cannot be opened (exit 2, path and cause).</exception>
    public async Task<IDestination> OpenAsync(ILog log, CancellationToken ct = default)
    {
        try { return await Provider.OpenAsync(this, log, ct); }
        catch (Exception ex) when (DestinationOpenException.IsOpenFailure(this, ex)) { throw DestinationOpenException.From(this, ex); }
    }

    /// <summary>Opens an existing destination to read it (tables, state); never creates one.</summary>
    /// <exception cref="ConfigException">It does not exist (see <see cref="RequireExisting"/>).</exception>
    /// <param name="log">The command's log.</param>
    /// <param name="ct">Cancels opening.</param>
    public Task<IDestination> OpenExistingAsync(ILog log, CancellationToken ct = default)
    {
        RequireExisting();
        return Provider.OpenAsync(this, log, ct);
    }

    /// <inheritdoc cref="IDestinationProvider.OpenRunStore"/>
    public IRunStore OpenRunStore()
    {
        try { return Provider.OpenRunStore(this); }
        catch (Exception ex) when (DestinationOpenException.IsOpenFailure(this, ex)) { throw DestinationOpenException.From(this, ex); }
    }

    /// <inheritdoc cref="IDestinationProvider.TryLockAsync(DestinationUri, CancellationToken)"/>
    public async Task<IAsyncDisposable?> TryLockAsync(CancellationToken ct = default)
    {
        try { return await Provider.TryLockAsync(this, ct); }
        catch (Exception ex) when (DestinationOpenException.IsOpenFailure(this, ex)) { throw DestinationOpenException.From(this, ex); }
    }

    /// <summary>Takes the run lock, or fails when another run holds it.</summary>
    /// <exception cref="RunFailedException">Another run is loading into this destination.</exception>
    /// <param name="ct">Cancels waiting for the lock's database connection.</param>
    /// <returns>The lock; dispose it to release.</returns>
    public async Task<IAsyncDisposable> LockAsync(CancellationToken ct = default) =>
        await TryLockAsync(ct) ?? throw new RunFailedException($"another jirasync run is loading into {this}; not starting a second one");

    /// <summary>Whether several processes may load into this destination at once (<see cref="IDestinationProvider.AcceptsConcurrentWriters"/>).</summary>
    public bool AcceptsConcurrentWriters => Provider.AcceptsConcurrentWriters;

    /// <summary>Takes the run lock of one share of the destination (e.g. "partition 2/3"), or fails when a run of the same
    /// share, or of the whole destination, holds it (see <see cref="IDestinationProvider.TryLockAsync(DestinationUri, string, CancellationToken)"/>).</summary>
    /// <param name="share">The share's name, as the lock's key and in the message.</param>
    /// <param name="ct">Cancels connecting.</param>
    /// <exception cref="RunFailedException">Another run is loading this share, or the whole destination.</exception>
    public async Task<IAsyncDisposable> LockAsync(string share, CancellationToken ct = default)
    {
        IAsyncDisposable? held;
        try { held = await Provider.TryLockAsync(this, share, ct); }
        catch (Exception ex) when (DestinationOpenException.IsOpenFailure(this, ex)) { throw DestinationOpenException.From(this, ex); }
        return held ?? throw new RunFailedException($"another jirasync run is loading {share} (or the whole site) into {this}; not starting a second one");
    }

    /// <summary>Reading must not create an empty DuckDB file or folder where the user mistyped a path.</summary>
    /// <exception cref="ConfigException">The destination does not exist; the message names the path.</exception>
    public void RequireExisting()
    {
        if (Provider.MissingReason(this) is { } reason) throw new ConfigException(reason);
    }

    private static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
