using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace JiraSync.Loading;

/// <summary>A table's columns by property name, for filling a row from a parsed record in one pass over its
/// properties (and over the properties of each flattened object) instead of one search per column. Built once per
/// <see cref="TableSchema"/> instance.</summary>
internal sealed class ColumnLookup
{
    private static readonly ConditionalWeakTable<TableSchema, ColumnLookup> Cache = new();

    private readonly Dictionary<string, int> _top = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, int>> _flattened = new(StringComparer.Ordinal);

    private ColumnLookup(TableSchema table)
    {
        for (var i = 0; i < table.Columns.Count; i++)
        {
            var c = table.Columns[i];
            if (c.From is not { } from) { _top[c.Name] = i; continue; }
            if (!_flattened.TryGetValue(from.Property, out var subs)) _flattened[from.Property] = subs = new(StringComparer.Ordinal);
            subs[from.SubProperty] = i;
        }
    }

    /// <summary>The lookup of <paramref name="table"/> (cached per instance).</summary>
    public static ColumnLookup Of(TableSchema table) => Cache.GetValue(table, t => new ColumnLookup(t));

    /// <summary>The column index of a top-level property, or -1.</summary>
    public int Column(JsonProperty property) => Find(_top, property);

    /// <summary>The sub-property columns of a flattened object property, or null when it has none.</summary>
    public Dictionary<string, int>? Flattened(JsonProperty property) =>
        _flattened.Count == 0 ? null : Find(_flattened, property, out var subs) ? subs : null;

    /// <summary>The index <paramref name="columns"/> holds for the property's name, or -1.</summary>
    public static int Find(Dictionary<string, int> columns, JsonProperty property) =>
        Find(columns, property, out var index) ? index : -1;

    /// <summary>Looks a property's name up without allocating a string for it (names are short, unescaped ASCII
    /// almost always; others take the allocating path).</summary>
    private static bool Find<T>(Dictionary<string, T> map, JsonProperty property, out T value)
    {
        var raw = JsonMarshal.GetRawUtf8PropertyName(property);
        if (raw.Length <= 128 && raw.IndexOf((byte)'\\') < 0)
        {
            Span<char> name = stackalloc char[raw.Length];
            if (Encoding.UTF8.TryGetChars(raw, name, out var n))
                return map.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name[..n], out value!);
        }
        return map.TryGetValue(property.Name, out value!);
    }
}
