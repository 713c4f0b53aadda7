using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

using JiraSync.Singer;

namespace JiraSync.Loading;

/// <summary>Turns a record's JSON value into the CLR value a column of the given type stores
/// (string, long, double, bool, DateOnly, DateTimeOffset in UTC, or JSON text). Null stays null.
/// A value the column cannot hold throws <see cref="FormatException"/>; callers add stream and column.</summary>
internal static class ValueConverter
{
    /// <summary>JSON text as the tap writes it (<see cref="SingerWriter"/>: non-ASCII text unescaped), so a value loaded
    /// by `sync` and the same value loaded by `target` from the tap's output are the same text.</summary>
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The column value of a record's JSON node (records built in process: the tap in `sync`).</summary>
    /// <param name="node">The value; null for an absent or JSON null value.</param>
    /// <param name="type">The column's type.</param>
    public static object? Convert(JsonNode? node, ColumnType type)
    {
        if (node is null) return null;
        if (type == ColumnType.Json) return node.ToJsonString(Relaxed);
        if (node is not JsonValue value)
        {
            if (type == ColumnType.Text) return node.ToJsonString(Relaxed); // an object in a widened text column keeps its JSON
            throw new FormatException($"expected a {Describe(type)}, got {(node is JsonArray ? "an array" : "an object")}");
        }
        var kind = value.GetValueKind();
        return type switch
        {
            ColumnType.Text => kind == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString(),
            ColumnType.BigInt => ToLong(value, kind),
            ColumnType.Double => ToDouble(value, kind),
            ColumnType.Boolean => kind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.String when bool.TryParse(value.GetValue<string>(), out var b) => b,
                _ => throw new FormatException($"expected a boolean, got {value.ToJsonString()}"),
            },
            ColumnType.Timestamp => SingerTime.Parse(RequireString(value, kind, type)),
            ColumnType.Date => DateOnly.FromDateTime(SingerTime.Parse(RequireString(value, kind, type)).UtcDateTime),
            _ => throw new ArgumentOutOfRangeException(nameof(type)),
        };
    }

    /// <summary>The column value of a parsed record's JSON value (records read as text: `target`). A JSON or text
    /// column holding an object or array gets the value's own text as it arrived (a slice of the input, never
    /// serialized again); other values convert as in <see cref="Convert(JsonNode?, ColumnType)"/>.</summary>
    /// <param name="value">The value; <see cref="JsonValueKind.Undefined"/> for an absent property.</param>
    /// <param name="type">The column's type.</param>
    public static object? Convert(JsonElement value, ColumnType type)
    {
        var kind = value.ValueKind;
        if (kind is JsonValueKind.Null or JsonValueKind.Undefined) return null;
        if (type == ColumnType.Json) return value.GetRawText();
        if (kind is JsonValueKind.Object or JsonValueKind.Array)
        {
            if (type == ColumnType.Text) return value.GetRawText(); // an object in a widened text column keeps its JSON
            throw new FormatException($"expected a {Describe(type)}, got {(kind == JsonValueKind.Array ? "an array" : "an object")}");
        }
        return type switch
        {
            ColumnType.Text => kind == JsonValueKind.String ? value.GetString() : value.GetRawText(),
            ColumnType.BigInt => ToLong(value, kind),
            ColumnType.Double => kind == JsonValueKind.Number ? value.GetDouble()
                : kind == JsonValueKind.String && double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var p) ? p
                : throw new FormatException($"expected a number, got {Truncate(value.GetRawText())}"),
            ColumnType.Boolean => kind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.String when bool.TryParse(value.GetString(), out var b) => b,
                _ => throw new FormatException($"expected a boolean, got {value.GetRawText()}"),
            },
            ColumnType.Timestamp => SingerTime.Parse(RequireString(value, kind, type)),
            ColumnType.Date => DateOnly.FromDateTime(SingerTime.Parse(RequireString(value, kind, type)).UtcDateTime),
            _ => throw new ArgumentOutOfRangeException(nameof(type)),
        };
    }

    private static long ToLong(JsonElement value, JsonValueKind kind)
    {
        if (kind == JsonValueKind.Number)
        {
            if (value.TryGetInt64(out var l)) return l;
            if (value.TryGetDouble(out var d) && d == Math.Floor(d) && Math.Abs(d) < 9.2e18) return (long)d;
        }
        else if (kind == JsonValueKind.String && long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var p))
            return p;
        throw new FormatException($"expected an integer, got {Truncate(value.GetRawText())}");
    }

    private static string RequireString(JsonElement value, JsonValueKind kind, ColumnType type) =>
        kind == JsonValueKind.String ? value.GetString()! : throw new FormatException($"expected a {Describe(type)} string, got {Truncate(value.GetRawText())}");

    private static long ToLong(JsonValue value, JsonValueKind kind)
    {
        if (kind == JsonValueKind.Number)
        {
            // Parsed documents hold JsonElements; values built in process hold int/long/double/decimal.
            if (value.TryGetValue<long>(out var l)) return l;
            if (value.TryGetValue<int>(out var i)) return i;
            var text = value.ToJsonString();
            if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out l)) return l;
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == Math.Floor(d) && Math.Abs(d) < 9.2e18) return (long)d;
        }
        else if (kind == JsonValueKind.String && long.TryParse(value.GetValue<string>(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var p))
            return p;
        throw new FormatException($"expected an integer, got {Truncate(value.ToJsonString())}");
    }

    private static double ToDouble(JsonValue value, JsonValueKind kind)
    {
        if (kind == JsonValueKind.Number)
            return value.TryGetValue<double>(out var d) ? d : double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);
        if (kind == JsonValueKind.String && double.TryParse(value.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out var p))
            return p;
        throw new FormatException($"expected a number, got {Truncate(value.ToJsonString())}");
    }

    private static string RequireString(JsonValue value, JsonValueKind kind, ColumnType type) =>
        kind == JsonValueKind.String ? value.GetValue<string>() : throw new FormatException($"expected a {Describe(type)} string, got {Truncate(value.ToJsonString())}");

    private static string Describe(ColumnType t) => t switch
    {
        ColumnType.Timestamp => "date-time",
        ColumnType.BigInt => "integer",
        ColumnType.Double => "number",
        _ => t.ToString().ToLowerInvariant(),
    };

    private static string Truncate(string s) => s.Length <= 60 ? s : s[..60] + "…";
}
