using Npgsql;

namespace JiraSync.Loading.Destinations.Postgres;

/// <summary>
/// The destination lock for PostgreSQL: a session advisory lock held on a dedicated connection for the run, keyed by
/// database and schema, so it works across machines; PostgreSQL releases it if the holder's connection dies.
/// </summary>
internal sealed class PostgresAdvisoryLock : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;

    private PostgresAdvisoryLock(NpgsqlConnection connection) => _connection = connection;

    /// <summary>The lock, or null when another run holds it. Without <paramref name="share"/>: the schema's lock,
    /// exclusive. With a share (e.g. "partition 2/3"): the schema's lock shared (so runs of other shares go on, and a
    /// whole-schema run waits for all of them) and the share's own lock exclusive.</summary>
    public static async Task<PostgresAdvisoryLock?> TryAcquireAsync(string connectionString, string schema, string display, CancellationToken ct = default,
        string? share = null)
    {
        // Unpooled: closing must end the session, or a pooled connection would keep holding the lock.
        var connection = await PostgresConnection.OpenAsync(
            new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString, display, ct);
        const string Key = "hashtext('jirasync:' || current_database() || ':' || $1)";
        await using var cmd = new NpgsqlCommand(share is null
            ? $"SELECT pg_try_advisory_lock({Key})"
            : $"SELECT pg_try_advisory_lock_shared({Key}) AND pg_try_advisory_lock(hashtext('jirasync:' || current_database() || ':' || $1 || ':' || $2))", connection);
        cmd.Parameters.Add(new NpgsqlParameter { Value = schema });
        if (share is not null) cmd.Parameters.Add(new NpgsqlParameter { Value = share });
        if (await cmd.ExecuteScalarAsync(ct) is true) return new PostgresAdvisoryLock(connection);
        await connection.DisposeAsync(); // ends the session: a shared lock taken before the share's was refused goes with it
        return null;
    }

    /// <summary>Unlocks explicitly (closing the session also would, but the server may finish that after the next
    /// run already asked), then closes the session.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await using var cmd = new NpgsqlCommand("SELECT pg_advisory_unlock_all()", _connection);
            await cmd.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException) { /* the connection is gone, and the lock with it */ }
        finally { await _connection.DisposeAsync(); }
    }
}
