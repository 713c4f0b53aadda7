using System.Globalization;
using System.Text.RegularExpressions;
using JiraSync.Errors;

namespace JiraSync.Loading.Destinations.DuckDb;

/// <summary>
/// The DuckDB settings a loading connection runs with, from the destination's options
/// (<c>duckdb:PATH?memory_limit=512MB&amp;threads=2</c>). DuckDB's own defaults (80 % of the machine's memory, one
/// thread per core) suit an analyst's session, not a loader that shares its process with the tap: the buffer manager
/// would keep every page it wrote cached, so a long sync's memory would grow with the database. Settings:
/// <list type="bullet">
/// <item><c>memory_limit</c>: DuckDB's buffer manager limit (DuckDB's size syntax: <c>256MB</c>, <c>1GB</c>);
/// default <see cref="DefaultMemoryLimit"/>. Past it DuckDB evicts clean pages and spills to a temporary file.</item>
/// <item><c>threads</c>: DuckDB's worker threads; default <see cref="DefaultThreads"/>.</item>
/// <item><c>checkpoint_threshold</c>: WAL size that triggers a checkpoint; default <see cref="DefaultCheckpointThreshold"/>.</item>
/// </list>
/// See https://duckdb.org/docs/stable/configuration/overview (memory_limit, threads).
/// </summary>
/// <param name="MemoryLimit">The <c>memory_limit</c> value, as DuckDB reads it.</param>
/// <param name="Threads">The <c>threads</c> value.</param>
/// <param name="CheckpointThreshold">The <c>checkpoint_threshold</c> value: WAL size that triggers a checkpoint.</param>
public sealed partial record DuckDbSettings(string MemoryLimit, int Threads, string CheckpointThreshold)
{
    /// <summary>Default buffer manager limit: room for a batch's staging tables, the pages being written and the
    /// primary-key indexes, which DuckDB keeps in memory (39 MB for 50,000 issues with their children in
    /// bench/RESULTS.md; a much larger site raises it).</summary>
    public const string DefaultMemoryLimit = "256MB";

    /// <summary>Default worker threads: the loader already overlaps parsing with the previous batch's commit.</summary>
    public const int DefaultThreads = 1;

    /// <summary>The defaults.</summary>
    public static DuckDbSettings Default { get; } = new(DefaultMemoryLimit, DefaultThreads, DefaultCheckpointThreshold);

    /// <summary>Default checkpoint threshold (DuckDB's is 16 MB): a large sync then rewrites its tables a few times
    /// instead of at every batch; committed batches are in the WAL either way.</summary>
    public const string DefaultCheckpointThreshold = "256MB";

    /// <summary>The option names accepted after <c>?</c>.</summary>
    public static readonly IReadOnlyList<string> Names = ["memory_limit", "threads", "checkpoint_threshold"];

    /// <summary>Largest size accepted for <c>memory_limit</c> and <c>checkpoint_threshold</c>: 1 TiB. Far above
    /// what a loader needs, far below where DuckDB's own parser overflows ("Memory value out of range").</summary>
    internal const long MaxSizeBytes = 1L << 40;

    /// <summary>Largest <c>threads</c> value accepted.</summary>
    internal const int MaxThreads = 1024;

    /// <summary>Units DuckDB reads after a size's number, with their bytes (decimal KB..TB, binary KiB..TiB), per
    /// https://duckdb.org/docs/stable/configuration/overview (memory_limit).</summary>
    private static readonly Dictionary<string, long> Units = new(StringComparer.OrdinalIgnoreCase)
    {
        ["B"] = 1, ["KB"] = 1_000, ["MB"] = 1_000_000, ["GB"] = 1_000_000_000, ["TB"] = 1_000_000_000_000,
        ["KiB"] = 1L << 10, ["MiB"] = 1L << 20, ["GiB"] = 1L << 30, ["TiB"] = 1L << 40,
    };

    /// <summary>Reads <c>name=value</c> pairs joined by <c>&amp;</c> (the text after <c>?</c> in the destination).</summary>
    /// <param name="query">The options text; empty for the defaults.</param>
    /// <param name="destination">The whole destination text, for messages.</param>
    /// <exception cref="ConfigException">An unknown or repeated option, or a value out of its range (sizes 1 B to 1 TiB,
    /// threads 1 to 1024); one line naming it.</exception>
    public static DuckDbSettings Parse(string query, string destination)
    {
        var settings = Default;
        var seen = new HashSet<string>();
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var (name, value) = pair.IndexOf('=') is > 0 and var i ? (pair[..i].Trim().ToLowerInvariant(), pair[(i + 1)..].Trim()) : (pair.Trim(), "");
            if (Names.Contains(name) && !seen.Add(name))
                throw new ConfigException($"destination {destination}: DuckDB option '{name}' is given more than once; give it once");
            settings = name switch
            {
                "memory_limit" => settings with { MemoryLimit = CheckSize(name, value, destination, "256MB or 1GB") },
                "checkpoint_threshold" => settings with { CheckpointThreshold = CheckSize(name, value, destination, "64MB") },
                "threads" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and <= MaxThreads => settings with { Threads = n },
                "threads" => throw new ConfigException($"destination {destination}: threads '{value}' is not a whole number from 1 to {MaxThreads}"),
                _ => throw new ConfigException($"destination {destination}: unknown DuckDB option '{name}'; the options are {string.Join(", ", Names)} (duckdb:PATH?memory_limit=512MB&threads=1)"),
            };
        }
        return settings;
    }

    /// <summary>The size in bytes of a DuckDB size text (<c>1.5GB</c>, <c>512MiB</c>); null when it is not one,
    /// <see cref="long.MaxValue"/> when it is larger.</summary>
    /// <param name="text">A number, optionally with a decimal fraction, then one of the <see cref="Units"/>.</param>
    internal static long? SizeBytes(string text)
    {
        var m = Size().Match(text);
        if (!m.Success) return null;
        try { return decimal.ToInt64(decimal.Floor(decimal.Parse(m.Groups[1].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture) * Units[m.Groups[2].Value])); }
        catch (OverflowException) { return long.MaxValue; }
    }

    private static string CheckSize(string name, string value, string destination, string example)
    {
        var range = $"give a size from 1B to 1TiB with a unit B, KB, MB, GB, TB, KiB, MiB, GiB or TiB, e.g. {name}={example}";
        if (SizeBytes(value) is not { } bytes)
            throw new ConfigException($"destination {destination}: {name} '{value}' is not a size; {range}");
        if (bytes is < 1 or > MaxSizeBytes)
            throw new ConfigException($"destination {destination}: {name} '{value}' is out of range; {range}");
        return value;
    }

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$", RegexOptions.IgnoreCase)]
    private static partial Regex Size();
}
