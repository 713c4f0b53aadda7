using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Text.Json;

namespace JiraSync.Querying;

/// <summary>How `jirasync query` shows one value a DuckDB or PostgreSQL reader returned: as text (table and CSV
/// cells) or as JSON. Times are written as the loader stores them, UTC instants in ISO 8601.</summary>
public static class QueryValue
{
    /// <summary>The value as text; null (and DBNull) is the empty string.</summary>
    /// <param name="value">A value from <see cref="QueryResult.ReadAsync"/>.</param>
    public static string ToText(object? value) => value switch
    {
        null or DBNull => "",
        string s => s,
        bool b => b ? "true" : "false",
        DateTimeOffset t => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFF", CultureInfo.InvariantCulture).TrimEnd('.') + "Z",
        DateTime t => t.ToString(t.TimeOfDay == TimeSpan.Zero && t.Kind == DateTimeKind.Unspecified ? "yyyy-MM-dd" : "yyyy-MM-dd HH:mm:ss.FFFFFF", CultureInfo.InvariantCulture).TrimEnd('.'),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        TimeOnly t => t.ToString("HH:mm:ss.FFFFFF", CultureInfo.InvariantCulture).TrimEnd('.'),
        byte[] bytes => Convert.ToHexString(bytes),
        IDictionary or (IEnumerable and not string) => ToJson(value),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>Writes the value as JSON: numbers and booleans as such, a JSON column's text as the JSON it holds,
    /// lists and structs as arrays and objects, everything else as a string.</summary>
    /// <param name="w">The JSON writer.</param>
    /// <param name="value">A value from <see cref="QueryResult.ReadAsync"/>.</param>
    /// <param name="jsonText">The column holds JSON text (<see cref="QueryColumn.IsJson"/>): write it as JSON, not as a string.</param>
    public static void Write(Utf8JsonWriter w, object? value, bool jsonText)
    {
        switch (value)
        {
            case null or DBNull: w.WriteNullValue(); break;
            case string s when jsonText: w.WriteRawValue(s); break;
            case bool b: w.WriteBooleanValue(b); break;
            case long or int or short or sbyte or byte or ushort or uint or ulong:
                w.WriteNumberValue(Convert.ToDecimal(value, CultureInfo.InvariantCulture)); break;
            case BigInteger n: w.WriteRawValue(n.ToString(CultureInfo.InvariantCulture)); break;
            case decimal m: w.WriteNumberValue(m); break;
            case double d when double.IsFinite(d): w.WriteNumberValue(d); break;
            case float f when float.IsFinite(f): w.WriteNumberValue(f); break;
            case IDictionary map:
                w.WriteStartObject();
                foreach (DictionaryEntry e in map) { w.WritePropertyName(Convert.ToString(e.Key, CultureInfo.InvariantCulture) ?? ""); Write(w, e.Value, false); }
                w.WriteEndObject();
                break;
            case IEnumerable items and not string and not byte[]:
                w.WriteStartArray();
                foreach (var item in items) Write(w, item, false);
                w.WriteEndArray();
                break;
            default: w.WriteStringValue(ToText(value)); break;
        }
    }

    private static string ToJson(object value)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer)) Write(w, value, false);
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
