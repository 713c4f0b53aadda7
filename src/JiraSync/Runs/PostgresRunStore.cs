using System.Data.Common;
using Npgsql;

namespace JiraSync.Runs;

/// <summary>Run history in the PostgreSQL destination, in the same schema as the loaded tables.</summary>
public sealed class PostgresRunStore(string connectionString, string schema, string logDirectory, string description) : SqlRunStore
{
    public override string Description => description;
    public override string LogDirectory => logDirectory;
    protected override string TimestampType => "timestamptz";
    protected override string Table(string name) => $"{Quote(schema)}.{Quote(name)}";
    protected override string CreateSchemaSql => $"CREATE SCHEMA IF NOT EXISTS {Quote(schema)};\n";

    protected override async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        var c = new NpgsqlConnection(connectionString);
        await c.OpenAsync(ct);
        return c;
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";
}
