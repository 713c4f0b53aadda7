using System.Data.Common;
using JiraSync.Runs;

namespace JiraSync.Loading.Destinations.Postgres;

/// <summary>Run history in the PostgreSQL destination, in the same schema as the loaded tables.</summary>
internal sealed class PostgresRunStore(string connectionString, string schema, string logDirectory, string description) : SqlRunStore
{
    /// <inheritdoc/>
    public override string Description => description;
    /// <inheritdoc/>
    public override string LogDirectory => logDirectory;
    /// <inheritdoc/>
    protected override string TimestampType => "timestamptz";
    /// <inheritdoc/>
    protected override string Table(string name) => $"{SqlText.Ident(schema)}.{SqlText.Ident(name)}";
    /// <inheritdoc/>
    protected override string CreateSchemaSql => $"CREATE SCHEMA IF NOT EXISTS {SqlText.Ident(schema)};\n";

    /// <inheritdoc/>
    protected override async Task<DbConnection> OpenAsync(CancellationToken ct) =>
        await PostgresConnection.OpenAsync(connectionString, description, ct);
}
