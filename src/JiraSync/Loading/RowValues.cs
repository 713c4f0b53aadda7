using System.Text.Json.Nodes;
using JiraSync.Errors;

namespace JiraSync.Loading;

/// <summary>Builds a row's column values in <see cref="TableSchema.AllColumns"/> order.</summary>
public static class RowValues
{
    public static object?[] Build(TableSchema table, StagedRow row, DateTimeOffset batchedAt)
    {
        var values = new object?[table.Columns.Count + TableSchema.MetadataColumns.Count];
        for (var i = 0; i < table.Columns.Count; i++)
        {
            var column = table.Columns[i];
            try { values[i] = ValueConverter.Convert(row.Record[column.Name], column.Type); }
            catch (FormatException e)
            {
                throw new RunFailedException($"stream '{table.Stream}', record {KeyText(table, row.Record)}: property '{column.Name}': {e.Message}");
            }
        }
        var m = table.Columns.Count;
        values[m] = row.ExtractedAt.ToUniversalTime();
        values[m + 1] = batchedAt.ToUniversalTime();
        values[m + 2] = row.DeletedAt?.ToUniversalTime();
        values[m + 3] = row.Sequence;
        values[m + 4] = row.Version;
        return values;
    }

    /// <summary>The record's key values as text, for messages and in-batch de-duplication.</summary>
    public static string KeyText(TableSchema table, JsonObject record) =>
        table.HasKey ? string.Join("|", table.KeyProperties.Select(k => record[k]?.ToJsonString() ?? "null")) : "(no key)";
}
