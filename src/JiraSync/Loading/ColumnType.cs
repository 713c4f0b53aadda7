namespace JiraSync.Loading;

/// <summary>The SQL column types a JSON Schema property maps to. Each destination names them in its own dialect.</summary>
public enum ColumnType
{
    Boolean,
    BigInt,
    Double,
    Date,
    Timestamp,
    Text,
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
