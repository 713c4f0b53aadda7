using JiraSync.Errors;
using JiraSync.Logging;
using Npgsql;

namespace JiraSync.Loading;

public enum DestinationKind { DuckDb, Postgres, Jsonl }

/// <summary>
/// A parsed --destination: <c>duckdb:PATH</c> (the default, <c>duckdb:jirasync.duckdb</c>),
/// <c>postgres://user[:password]@host[:port]/db[?schema=S]</c>, a libpq (<c>host=h dbname=d</c>) or
/// Npgsql (<c>Host=h;Database=d</c>) connection string (optional <c>schema=S</c>; default schema "jira"),
/// or <c>jsonl:DIR</c>. <see cref="ToString"/> never shows a password.
/// </summary>
public sealed record DestinationUri(DestinationKind Kind, string Target, string Schema, string Display)
{
    public const string Default = "duckdb:jirasync.duckdb";
    public const string DefaultSchema = "jira";

    private const string Usage = "use duckdb:PATH, postgres://user@host:port/db?schema=S, a PostgreSQL connection string (host=H dbname=D), or jsonl:DIR";

    public static DestinationUri Parse(string? text)
    {
        text = string.IsNullOrWhiteSpace(text) ? Default : text.Trim();
        if (text.StartsWith("duckdb:", StringComparison.OrdinalIgnoreCase))
        {
            var path = text["duckdb:".Length..];
            if (path.StartsWith("//")) path = path[2..];
            if (path.Length == 0) throw new ConfigException($"destination '{text}' names no file; {Usage}");
            return new DestinationUri(DestinationKind.DuckDb, path, "main", $"duckdb:{path}");
        }
        if (text.StartsWith("jsonl:", StringComparison.OrdinalIgnoreCase))
        {
            var dir = text["jsonl:".Length..];
            if (dir.StartsWith("//")) dir = dir[2..];
            if (dir.Length == 0) throw new ConfigException($"destination '{text}' names no directory; {Usage}");
            return new DestinationUri(DestinationKind.Jsonl, dir, "", $"jsonl:{dir}");
        }
        if (text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
            return FromUrl(text);
        if (text.Contains('='))
            return FromConnectionString(text);
        throw new ConfigException($"unsupported destination {(text.IndexOf(':') is > 0 and var i ? $"scheme '{text[..(i + 1)]}'" : $"'{Shorten(text)}'")}; {Usage}");
    }

    public override string ToString() => Display;

    /// <summary>Opens the destination; a file-based one that cannot be opened throws <see cref="DestinationOpenException"/> (exit 2).</summary>
    public async Task<IDestination> OpenAsync(ILog log, CancellationToken ct = default)
    {
        try { return await OpenKindAsync(log, ct); }
        catch (Exception ex) when (DestinationOpenException.IsOpenFailure(ex)) { throw DestinationOpenException.From(this, ex); }
    }

    private async Task<IDestination> OpenKindAsync(ILog log, CancellationToken ct) => Kind switch
    {
        DestinationKind.DuckDb => await DuckDbDestination.OpenAsync(Target, log, ct),
        DestinationKind.Postgres => await PostgresDestination.OpenAsync(Target, Schema, Display, log, ct),
        _ => await JsonlDestination.OpenAsync(Target, log, ct),
    };

    private static DestinationUri FromUrl(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
            throw new ConfigException($"destination is not a valid PostgreSQL URL (expected postgres://user@host:port/db); {Usage}");
        var b = new NpgsqlConnectionStringBuilder { Host = uri.Host, Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port };
        var db = Uri.UnescapeDataString(uri.AbsolutePath.Trim('/'));
        if (db.Length > 0) b.Database = db;
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            b.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2) b.Password = Uri.UnescapeDataString(parts[1]);
        }
        var schema = DefaultSchema;
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            var key = Uri.UnescapeDataString(kv[0]);
            var value = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : "";
            if (key.Equals("schema", StringComparison.OrdinalIgnoreCase)) schema = value;
            else SetOption(b, key, value);
        }
        return Postgres(b, schema);
    }

    private static DestinationUri FromConnectionString(string text)
    {
        var b = new NpgsqlConnectionStringBuilder();
        var schema = DefaultSchema;
        // Npgsql style separates with ';', libpq style with spaces (values with spaces need Npgsql style).
        var pairs = text.Contains(';') ? text.Split(';', StringSplitOptions.RemoveEmptyEntries) : text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        foreach (var (pair, index) in pairs.Select((p, i) => (p, i)))
        {
            var kv = pair.Split('=', 2);
            // The part is not echoed: in "password=two words" it is the end of the password.
            if (kv.Length != 2) throw new ConfigException($"destination connection string: part {index + 1} has no '=' (a value with spaces needs the form Key=Value;Key=Value); {Usage}");
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
        if (string.IsNullOrEmpty(b.Host)) throw new ConfigException($"destination connection string names no host; {Usage}");
        return Postgres(b, schema);
    }

    /// <summary>The parsed PostgreSQL destination; its display names user, host, port and database, never the password.</summary>
    private static DestinationUri Postgres(NpgsqlConnectionStringBuilder b, string schema)
    {
        if (string.IsNullOrWhiteSpace(schema)) throw new ConfigException("destination schema is empty; give ?schema=NAME or leave it out for \"jira\"");
        // A password given with --destination is a secret like the config's: no line the process prints may show it.
        if (b.Password is { Length: > 0 } password) Redactor.Process.Add([password]);
        var display = $"postgres://{(b.Username is { } u ? u + "@" : "")}{b.Host}:{b.Port}/{b.Database}";
        return new DestinationUri(DestinationKind.Postgres, b.ConnectionString, schema, display);
    }

    private static void SetOption(NpgsqlConnectionStringBuilder b, string key, string value)
    {
        try { b[key] = value; }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException)
        {
            throw new ConfigException($"destination option '{key}' is not understood: {e.Message.Split('\n')[0]}");
        }
    }

    private static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
