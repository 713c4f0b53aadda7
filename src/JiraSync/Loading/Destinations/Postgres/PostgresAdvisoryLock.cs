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

    /// <summary>The lock, or null when another run holds it.</summary>
    public static async Task<PostgresAdvisoryLock?> TryAcquireAsync(string connectionString, string schema, string display, CancellationToken ct = default)
    {
        // Unpooled: closing must end the session, or a pooled connection would keep holding the lock.
        var connection = await PostgresConnection.OpenAsync(
            new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString, display, ct);
        await using var cmd = new NpgsqlCommand("SELECT pg_try_advisory_lock(hashtext('jirasync:' || current_database() || ':' || $1))", connection);
        cmd.Parameters.Add(new NpgsqlParameter { Value = schema });
        if (await cmd.ExecuteScalarAsync(ct) is true) return new PostgresAdvisoryLock(connection);
        await connection.DisposeAsync();
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
