using System.Text.Json.Nodes;

namespace JiraSync.Loading;

/// <summary>Builds a row's column values in <see cref="TableSchema.AllColumns"/> order.</summary>
public static class RowValues
{
    /// <summary>The data columns' values of a record, in <see cref="TableSchema.Columns"/> order. A value that does
    /// not fit its column throws <see cref="InvalidMessageException"/>; in a flattened column, the
    /// <see cref="ColumnMismatchException"/> that tells the loader which column to widen.</summary>
    /// <param name="table">The stream's table.</param>
    /// <param name="record">The RECORD's object.</param>
    public static object?[] Data(TableSchema table, JsonObject record)
    {
        var values = new object?[table.Columns.Count];
        // Flattened columns follow their object's column, so the object is looked up once per record, not per column.
        string? parentName = null;
        JsonObject? parent = null;
        for (var i = 0; i < values.Length; i++)
        {
            var column = table.Columns[i];
            JsonNode? node;
            if (column.From is { } from)
            {
                if (!string.Equals(parentName, from.Property, StringComparison.Ordinal))
                {
                    parentName = from.Property;
                    parent = record[parentName] as JsonObject;
                }
                node = parent?[from.SubProperty];
            }
            else node = record[column.Name];
            try { values[i] = ValueConverter.Convert(node, column.Type); }
            catch (FormatException e)
            {
                var message = $"RECORD for stream '{table.Stream}' ({KeyText(table, record)}) does not fit column '{column.Name}': {e.Message}";
                throw column.From is null ? new InvalidMessageException(message) : new ColumnMismatchException(message, i);
            }
        }
        return values;
    }

    /// <summary>Data and metadata values of a staged row, in <see cref="TableSchema.AllColumns"/> order.</summary>
    /// <param name="table">The stream's table.</param>
    /// <param name="row">The staged row (converted values, or its record to convert now).</param>
    /// <param name="batchedAt">The batch's time, for <c>_sdc_batched_at</c>.</param>
    public static object?[] Build(TableSchema table, StagedRow row, DateTimeOffset batchedAt)
    {
        var data = row.Values ?? Data(table, row.Record!);
        var values = new object?[data.Length + TableSchema.MetadataColumns.Count];
        Array.Copy(data, values, data.Length);
        var m = data.Length;
        values[m] = row.ExtractedAt.ToUniversalTime();
        values[m + 1] = batchedAt.ToUniversalTime();
        values[m + 2] = row.DeletedAt?.ToUniversalTime();
        values[m + 3] = row.Sequence;
        values[m + 4] = row.Version;
        values[m + 5] = row.Status;
        return values;
    }

    /// <summary>The record's key values as text, for messages and in-batch de-duplication.</summary>
    /// <param name="table">The stream's table (its key properties).</param>
    /// <param name="record">The RECORD's object.</param>
    public static string KeyText(TableSchema table, JsonObject record) =>
        table.HasKey ? string.Join("|", table.KeyProperties.Select(k => record[k]?.ToJsonString() ?? "null")) : "(no key)";
}
