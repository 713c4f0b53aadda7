using System.Text.Json;
using System.Text.Json.Serialization;
using JiraSync.Jira;

namespace JiraSync.Runs;

/// <summary>The Jira client's concurrency limit from one moment of a run on (see <see cref="AdaptiveConcurrency"/>):
/// the first point is max_concurrency at 0 s, each further one a change.</summary>
/// <param name="AtSeconds">Seconds since the client started (about the run's start), to the millisecond.</param>
/// <param name="Limit">Requests allowed in flight from then on.</param>
/// <param name="Reason">Why: "max_concurrency", "429 Too Many Requests", "rate-limit budget nearly spent", "N clean answers in a row".</param>
public sealed record ConcurrencyPoint(double AtSeconds, int Limit, string Reason)
{
    /// <summary>Points kept per run at most: the first ones and the last (a limit that keeps moving for hours).</summary>
    public const int MaxKept = 500;

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>The series of a client's changes, at most <see cref="MaxKept"/> points (the last one always kept).</summary>
    /// <param name="changes">The client's history, oldest first.</param>
    internal static ConcurrencySeries Of(IReadOnlyList<ConcurrencyChange> changes)
    {
        var points = changes.Select(c => new ConcurrencyPoint(Math.Round(c.At.TotalSeconds, 3), c.Limit, c.Reason)).ToList();
        return points.Count <= MaxKept ? [.. points] : [.. points.Take(MaxKept - 1), points[^1]];
    }

    /// <summary>The series as stored in `_jirasync_runs.concurrency`: a JSON array of {at_seconds, limit, reason}
    /// (null for an empty series).</summary>
    /// <param name="points">The series.</param>
    public static string? ToText(IReadOnlyList<ConcurrencyPoint> points) => points.Count == 0 ? null : JsonSerializer.Serialize(points, Json);

    /// <summary>Reads <see cref="ToText"/>'s form back; null or unreadable text gives an empty series.</summary>
    /// <param name="text">The stored text.</param>
    public static ConcurrencySeries Parse(string? text)
    {
        if (string.IsNullOrEmpty(text)) return [];
        try { return JsonSerializer.Deserialize<ConcurrencySeries>(text, Json) ?? []; }
        catch (JsonException) { return []; }
    }

    /// <summary>The series in one line for people: "8 from the start; 4 at 2.6 s (429 Too Many Requests); …".</summary>
    /// <param name="points">The series.</param>
    /// <param name="shown">Changes written out before "… and N more".</param>
    public static string Describe(IReadOnlyList<ConcurrencyPoint> points, int shown = 8)
    {
        if (points.Count == 0) return "";
        var parts = points.Take(shown + 1).Select((p, i) => i == 0 && p.AtSeconds == 0
            ? $"{p.Limit} from the start"
            : $"{p.Limit} at {p.AtSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)} s ({p.Reason})").ToList();
        if (points.Count > shown + 1) parts.Add($"… {points.Count - shown - 1} more changes, lowest {points.Min(p => p.Limit)}, last {points[^1].Limit}");
        return string.Join("; ", parts);
    }
}

/// <summary>A run's concurrency series (<see cref="ConcurrencyPoint"/>s, oldest first) that compares by its points, so a
/// run read back from any store equals the run that was saved.</summary>
public sealed class ConcurrencySeries : List<ConcurrencyPoint>, IEquatable<ConcurrencySeries>
{
    /// <inheritdoc/>
    public bool Equals(ConcurrencySeries? other) => other is not null && this.SequenceEqual(other);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as ConcurrencySeries);

    /// <inheritdoc/>
    public override int GetHashCode() => Count == 0 ? 0 : HashCode.Combine(Count, this[0], this[^1]);
}
