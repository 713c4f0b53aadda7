namespace JiraSync.Loading;

/// <summary>The SQL column types a JSON Schema property maps to. Each destination names them in its own dialect
/// (DuckDB / PostgreSQL names below; the jsonl destination keeps JSON values).</summary>
public enum ColumnType
{
    /// <summary>JSON Schema "boolean": BOOLEAN / boolean.</summary>
    Boolean,
    /// <summary>"integer": BIGINT / bigint (64-bit).</summary>
    BigInt,
    /// <summary>"number": DOUBLE / double precision.</summary>
    Double,
    /// <summary>"string" with format "date": DATE / date.</summary>
    Date,
    /// <summary>"string" with format "date-time": TIMESTAMPTZ / timestamptz, stored in UTC.</summary>
    Timestamp,
    /// <summary>Any other "string", and the widened home of values no narrower type holds: VARCHAR / text.</summary>
    Text,
    /// <summary>"object", "array" or an untyped schema: JSON / jsonb (the value's JSON text).</summary>
    Json,
}

/// <summary>How column types combine when a schema changes or a union allows several types:
/// widening never loses a value (integer → number, anything incompatible → text).</summary>
internal static class ColumnTypes
{
    public static ColumnType Widen(ColumnType a, ColumnType b)
    {
        if (a == b) return a;
        if (IsNumber(a) && IsNumber(b)) return ColumnType.Double;
        if (IsTemporal(a) && IsTemporal(b)) return ColumnType.Timestamp;
        // Everything else (bool + number, json + scalar, ...) only fits losslessly in text.
        return ColumnType.Text;
    }

    private static bool IsNumber(ColumnType t) => t is ColumnType.BigInt or ColumnType.Double;
    private static bool IsTemporal(ColumnType t) => t is ColumnType.Date or ColumnType.Timestamp;
}
