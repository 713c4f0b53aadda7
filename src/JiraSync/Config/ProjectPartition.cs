using System.Globalization;
using System.Text;
using JiraSync.Errors;

namespace JiraSync.Config;

/// <summary>
/// One of <see cref="Count"/> processes that split one Jira site between them (<c>sync --partition i/n</c>,
/// docs/scale-out.md). A project belongs to exactly one partition, chosen by a stable hash of its key:
/// <c>FNV-1a-32(UTF-8 of the upper-case key) mod n</c>, plus one. The hash is computed the same way on every machine and
/// in every process (unlike .NET's randomized <see cref="string.GetHashCode()"/>), so partition 2/3 syncs the same
/// projects today and tomorrow. The issue family (issues and every stream read from the issue sweep) is split this way;
/// every site-wide stream (the full tables, users and the worklog feed) is written by partition 1 only.
/// </summary>
/// <param name="Index">1-based: 1 ≤ Index ≤ Count.</param>
/// <param name="Count">How many partitions split the site (at least 1).</param>
public sealed record ProjectPartition(int Index, int Count)
{
    /// <summary>Partitions never exceed this; more processes than Jira serves concurrently would only queue.</summary>
    public const int MaxCount = 1000;

    /// <summary>True for the partition that writes the site-wide streams (partition 1).</summary>
    public bool OwnsSiteStreams => Index == 1;

    /// <summary>True when the project with this key belongs to this partition (keys compare case-insensitively, as Jira's do).</summary>
    public bool Owns(string projectKey) => Of(projectKey, Count) == Index;

    /// <summary>The partition (1..<paramref name="count"/>) a project key belongs to: FNV-1a 32-bit over the UTF-8 bytes of
    /// the upper-case key (offset basis 2166136261, prime 16777619), modulo <paramref name="count"/>, plus one.</summary>
    public static int Of(string projectKey, int count)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(projectKey.ToUpperInvariant()))
        {
            hash ^= b;
            hash *= 16777619u;
        }
        return (int)(hash % (uint)count) + 1;
    }

    /// <summary>Parses "i/n" (e.g. "2/3").</summary>
    /// <exception cref="ConfigException">Not two whole numbers with 1 ≤ i ≤ n ≤ <see cref="MaxCount"/>; the message names
    /// the value and the expected form.</exception>
    public static ProjectPartition Parse(string text)
    {
        var parts = text.Trim().Split('/');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var i)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            && n is >= 1 and <= MaxCount && i >= 1 && i <= n)
            return new ProjectPartition(i, n);
        throw new ConfigException($"--partition '{text}' is not a partition; give i/n with 1 <= i <= n <= {MaxCount} (e.g. --partition 2/3 for the second of three processes)");
    }

    /// <summary>"i/n", the form <see cref="Parse"/> reads.</summary>
    public override string ToString() => $"{Index}/{Count}";
}
