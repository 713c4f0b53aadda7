using System.Globalization;
using System.Text;

namespace JiraSync.Streams;

/// <summary>
/// A set of numeric ids kept in state as compact ranges ("10000-10499,10501-12000"), so the
/// issues bookmark can remember which issues exist (to notice deletions) without growing with the
/// number of issues: Jira issue ids are mostly consecutive, and each deletion costs one range.
/// </summary>
internal static class IdRangeSet
{
    public static string Encode(IEnumerable<long> ids)
    {
        var sb = new StringBuilder();
        long? start = null, end = null;
        foreach (var id in ids.Order().Distinct())
        {
            if (end is { } e && id == e + 1) { end = id; continue; }
            Flush();
            start = end = id;
        }
        Flush();
        return sb.ToString();

        void Flush()
        {
            if (start is null) return;
            if (sb.Length > 0) sb.Append(',');
            sb.Append(start.Value.ToString(CultureInfo.InvariantCulture));
            if (end != start) sb.Append('-').Append(end!.Value.ToString(CultureInfo.InvariantCulture));
        }
    }

    public static IEnumerable<long> Decode(string? encoded)
    {
        if (string.IsNullOrEmpty(encoded)) yield break;
        foreach (var part in encoded.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var dash = part.IndexOf('-');
            var a = long.Parse(dash < 0 ? part : part[..dash], CultureInfo.InvariantCulture);
            var b = dash < 0 ? a : long.Parse(part[(dash + 1)..], CultureInfo.InvariantCulture);
            for (var id = a; id <= b; id++) yield return id;
        }
    }

    public static bool IsValid(string? encoded)
    {
        try { foreach (var _ in Decode(encoded)) { } return true; }
        catch (FormatException) { return false; }
        catch (OverflowException) { return false; }
    }
}
