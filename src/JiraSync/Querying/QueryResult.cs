using System.Data.Common;

namespace JiraSync.Querying;

/// <summary>One column of a query result: its name, whether its text is JSON (DuckDB <c>JSON</c>, PostgreSQL
/// <c>json</c>/<c>jsonb</c>) and whether it holds numbers (right-aligned in a table).</summary>
/// <param name="Name">The column name as the query gave it.</param>
/// <param name="IsJson">Its text is JSON.</param>
/// <param name="IsNumeric">It holds integers or decimals.</param>
public sealed record QueryColumn(string Name, bool IsJson, bool IsNumeric);

/// <summary>The rows of a query, read one at a time. Instants (DuckDB <c>TIMESTAMPTZ</c>, PostgreSQL
/// <c>timestamptz</c>) come back as UTC <see cref="DateTimeOffset"/>s; NULL is null.</summary>
/// <param name="reader">The open reader; disposing the result disposes it.</param>
/// <param name="columns">One entry per reader field.</param>
public sealed class QueryResult(DbDataReader reader, IReadOnlyList<QueryColumn> columns) : IAsyncDisposable
{
    private readonly bool[] _instant = Enumerable.Range(0, reader.FieldCount)
        .Select(i => reader.GetDataTypeName(i) is "TimestampTz" or "timestamp with time zone").ToArray();

    /// <summary>The result's columns, in the query's order (as many as each row has values).</summary>
    public IReadOnlyList<QueryColumn> Columns { get; } = columns;

    /// <summary>The next row's values, or null after the last row.</summary>
    /// <param name="ct">Cancels the read.</param>
    public async Task<object?[]?> ReadAsync(CancellationToken ct = default)
    {
        if (!await reader.ReadAsync(ct)) return null;
        var values = new object?[reader.FieldCount];
        for (var i = 0; i < values.Length; i++)
        {
            if (reader.IsDBNull(i)) continue;
            var v = reader.GetValue(i);
            // The session time zone is UTC (DestinationQuery sets it), so an instant's clock reading is UTC.
            values[i] = _instant[i] && v is DateTime t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : v;
        }
        return values;
    }

    /// <summary>Closes the reader (and with it the query).</summary>
    public ValueTask DisposeAsync() => reader.DisposeAsync();
}
