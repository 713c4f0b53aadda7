using JiraSync.Errors;
using Npgsql;

namespace JiraSync.Loading.Destinations.Postgres;

/// <summary>Opens a PostgreSQL connection for the destination, its run history or its run lock, so that an
/// unreachable server or a refused login is one line naming the destination (never its password), exit 1.</summary>
internal static class PostgresConnection
{
    /// <summary>Opens a connection; <paramref name="display"/> (no password) names the server in the one-line error.
    /// Throws <see cref="RunFailedException"/> when the server cannot be reached or refuses the login.</summary>
    public static async Task<NpgsqlConnection> OpenAsync(string connectionString, string display, CancellationToken ct)
    {
        NpgsqlConnection? connection = null;
        try
        {
            connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(ct);
            return connection;
        }
        catch (Exception e) when (e is NpgsqlException or ArgumentException)
        {
            if (connection is not null) await connection.DisposeAsync();
            throw new RunFailedException($"cannot connect to PostgreSQL {display}: {e.Message.Split('\n')[0]}", e);
        }
    }
}
