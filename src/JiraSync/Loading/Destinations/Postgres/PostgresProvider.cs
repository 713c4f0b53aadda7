using System.Text.RegularExpressions;
using JiraSync.Errors;
using JiraSync.Logging;
using JiraSync.Runs;
using Npgsql;

namespace JiraSync.Loading.Destinations.Postgres;

/// <summary>
/// PostgreSQL: <c>postgres://user[:password]@host[:port]/db[?schema=S&amp;option=value]</c> (or <c>postgresql://</c>),
/// or a libpq (<c>host=h dbname=d user=u</c>) or Npgsql (<c>Host=h;Database=d</c>) connection string, each with an
/// optional <c>schema=S</c> (default "jira"). Run history in the same schema; the run lock is a session advisory lock
/// keyed by database and schema (per share for partitioned runs, which load at once). The password is the one secret.
/// </summary>
internal sealed partial class PostgresProvider : IDestinationProvider
{
    /// <inheritdoc/>
    public string Scheme => "postgres";
    /// <inheritdoc/>
    public string OptionHelp => "postgres://user@host:port/db?schema=S | libpq connection string";
    /// <inheritdoc/>
    public string UsageHelp => "postgres://user@host:port/db?schema=S, a PostgreSQL connection string (host=H dbname=D)";

    /// <inheritdoc/>
    public DestinationUri? TryParse(string text)
    {
        if (text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
            return FromUrl(text);
        // A connection string: key=value pairs, its first key not a "scheme:" of another backend.
        var eq = text.IndexOf('=');
        if (eq > 0 && !text[..eq].Contains(':')) return FromConnectionString(text);
        return null;
    }

    /// <inheritdoc/>
    public async Task<IDestination> OpenAsync(DestinationUri uri, ILog log, CancellationToken ct) =>
        await PostgresDestination.OpenAsync(uri.Target, uri.Schema, uri.Display, log, ct);

    /// <inheritdoc/>
    /// <remarks>Search path on the destination schema first, read-only transactions.</remarks>
    public async Task<System.Data.Common.DbConnection> OpenQueryAsync(DestinationUri uri, CancellationToken ct)
    {
        var pg = await PostgresConnection.OpenAsync(uri.Target, uri.Display, ct);
        await using var cmd = pg.CreateCommand();
        cmd.CommandText = $"SET search_path TO {SqlText.Ident(uri.Schema)}, public; SET default_transaction_read_only = on";
        await cmd.ExecuteNonQueryAsync(ct);
        return pg;
    }

    /// <inheritdoc/>
    public IRunStore OpenRunStore(DestinationUri uri) =>
        // A database has no folder "next to it": extraction logs of PostgreSQL destinations go under ./.jirasync/logs,
        // one folder per database and schema; the runs table stores each log's absolute path.
        new PostgresRunStore(uri.Target, uri.Schema,
            Path.Combine(Path.GetFullPath(".jirasync"), "logs", Unsafe().Replace($"{uri.Display}-{uri.Schema}".Replace("postgres://", ""), "_")),
            uri.ToString());

    /// <inheritdoc/>
    public async Task<IAsyncDisposable?> TryLockAsync(DestinationUri uri, CancellationToken ct) =>
        await PostgresAdvisoryLock.TryAcquireAsync(uri.Target, uri.Schema, uri.ToString(), ct);

    /// <inheritdoc/>
    public bool AcceptsConcurrentWriters => true;

    /// <inheritdoc/>
    public async Task<IAsyncDisposable?> TryLockAsync(DestinationUri uri, string share, CancellationToken ct) =>
        await PostgresAdvisoryLock.TryAcquireAsync(uri.Target, uri.Schema, uri.ToString(), ct, share);

    /// <inheritdoc/>
    public string? MissingReason(DestinationUri uri) => null; // a server: told only by connecting

    /// <inheritdoc/>
    public IReadOnlyList<string> Secrets(DestinationUri uri) =>
        new NpgsqlConnectionStringBuilder(uri.Target).Password is { Length: > 0 } password ? [password] : [];

    private DestinationUri FromUrl(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
            throw new ConfigException($"destination is not a valid PostgreSQL URL (expected postgres://user@host:port/db); {DestinationProviders.Usage}");
        var b = new NpgsqlConnectionStringBuilder { Host = uri.Host, Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port };
        var db = Uri.UnescapeDataString(uri.AbsolutePath.Trim('/'));
        if (db.Length > 0) b.Database = db;
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            b.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2) b.Password = Uri.UnescapeDataString(parts[1]);
        }
        var schema = DestinationUri.DefaultSchema;
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            var key = Uri.UnescapeDataString(kv[0]);
            var value = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : "";
            if (key.Equals("schema", StringComparison.OrdinalIgnoreCase)) schema = value;
            else SetOption(b, key, value);
        }
        return Parsed(b, schema);
    }

    private DestinationUri FromConnectionString(string text)
    {
        var b = new NpgsqlConnectionStringBuilder();
        var schema = DestinationUri.DefaultSchema;
        // Npgsql style separates with ';', libpq style with spaces (values with spaces need Npgsql style).
        var pairs = text.Contains(';') ? text.Split(';', StringSplitOptions.RemoveEmptyEntries) : text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        foreach (var (pair, index) in pairs.Select((p, i) => (p, i)))
        {
            var kv = pair.Split('=', 2);
            // The part is not echoed: in "password=two words" it is the end of the password.
            if (kv.Length != 2) throw new ConfigException($"destination connection string: part {index + 1} has no '=' (a value with spaces needs the form Key=Value;Key=Value); {DestinationProviders.Usage}");
            var key = kv[0].Trim();
            var value = kv[1].Trim().Trim('\'');
            if (key.Equals("schema", StringComparison.OrdinalIgnoreCase)) schema = value;
            else SetOption(b, key switch
            {
                "dbname" => "Database",
                "user" => "Username",
                "sslmode" => "SSL Mode",
                "connect_timeout" => "Timeout",
                _ => key,
            }, value);
        }
        if (string.IsNullOrEmpty(b.Host)) throw new ConfigException($"destination connection string names no host; {DestinationProviders.Usage}");
        return Parsed(b, schema);
    }

    /// <summary>The parsed PostgreSQL destination; its display names user, host, port and database, never the password.</summary>
    private DestinationUri Parsed(NpgsqlConnectionStringBuilder b, string schema)
    {
        if (string.IsNullOrWhiteSpace(schema)) throw new ConfigException("destination schema is empty; give ?schema=NAME or leave it out for \"jira\"");
        var display = $"postgres://{(b.Username is { } u ? u + "@" : "")}{b.Host}:{b.Port}/{b.Database}";
        return new DestinationUri(this, b.ConnectionString, schema, display);
    }

    private static void SetOption(NpgsqlConnectionStringBuilder b, string key, string value)
    {
        try { b[key] = value; }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException)
        {
            throw new ConfigException($"destination option '{key}' is not understood: {e.Message.Split('\n')[0]}");
        }
    }

    [GeneratedRegex("[^A-Za-z0-9._-]+")]
    private static partial Regex Unsafe();
}
