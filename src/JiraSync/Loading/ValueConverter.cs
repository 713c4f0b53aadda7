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
    public static object? Convert(JsonNode? node, ColumnType type)
    {
        if (node is null) return null;
        if (type == ColumnType.Json) return node.ToJsonString();
        if (node is not JsonValue value)
        {
            if (type == ColumnType.Text) return node.ToJsonString(); // an object in a widened text column keeps its JSON
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
