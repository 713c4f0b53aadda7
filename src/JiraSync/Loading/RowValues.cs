using System.Text.Json;
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

    /// <summary>The data columns' values of a parsed record (target mode), in <see cref="TableSchema.Columns"/> order:
    /// one pass over the record's properties and those of its flattened objects, each value converted straight from
    /// the parsed input (<see cref="ValueConverter.Convert(JsonElement, ColumnType)"/>). Same results and errors as
    /// <see cref="Data(TableSchema, JsonObject)"/>; with a property given twice, the last one counts.</summary>
    /// <param name="table">The stream's table.</param>
    /// <param name="record">The record, a JSON object.</param>
    public static object?[] Data(TableSchema table, JsonElement record)
    {
        var values = new object?[table.Columns.Count];
        var lookup = ColumnLookup.Of(table);
        foreach (var property in record.EnumerateObject())
        {
            var i = lookup.Column(property);
            if (i >= 0) values[i] = Convert(table, record, i, property.Value);
            if (property.Value.ValueKind != JsonValueKind.Object || lookup.Flattened(property) is not { } subs) continue;
            foreach (var sub in property.Value.EnumerateObject())
            {
                var j = ColumnLookup.Find(subs, sub);
                if (j >= 0) values[j] = Convert(table, record, j, sub.Value);
            }
        }
        return values;
    }

    private static object? Convert(TableSchema table, JsonElement record, int i, JsonElement value)
    {
        var column = table.Columns[i];
        try { return ValueConverter.Convert(value, column.Type); }
        catch (FormatException e)
        {
            var message = $"RECORD for stream '{table.Stream}' ({KeyText(table, record)}) does not fit column '{column.Name}': {e.Message}";
            throw column.From is null ? new InvalidMessageException(message) : new ColumnMismatchException(message, i);
        }
    }

    /// <summary>About the managed memory a row's values hold, in bytes: the array, each string (2 bytes a char plus its
    /// header) and each boxed value. Used to bound a batch's memory without asking the garbage collector.</summary>
    /// <param name="values">A row's column values.</param>
    public static long SizeOf(object?[] values)
    {
        long bytes = 24 + 8L * values.Length;
        foreach (var v in values)
            bytes += v switch
            {
                null => 0,
                string s => 22 + 2L * s.Length,
                _ => 24,
            };
        return bytes;
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

    /// <summary>The parsed record's key values as text (each value's JSON text as it arrived), for messages and
    /// in-batch de-duplication.</summary>
    public static string KeyText(TableSchema table, JsonElement record)
    {
        if (!table.HasKey) return "(no key)";
        if (table.KeyProperties.Count == 1) return KeyValueText(record, table.KeyProperties[0]);
        return string.Join("|", table.KeyProperties.Select(k => KeyValueText(record, k)));
    }

    private static string KeyValueText(JsonElement record, string name) =>
        record.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v.GetRawText() : "null";
}
