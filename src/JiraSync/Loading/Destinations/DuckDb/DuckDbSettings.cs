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

    /// <summary>Reads <c>name=value</c> pairs joined by <c>&amp;</c> (the text after <c>?</c> in the destination).</summary>
    /// <param name="query">The options text; empty for the defaults.</param>
    /// <param name="destination">The whole destination text, for messages.</param>
    /// <exception cref="ConfigException">An unknown option or a value DuckDB would refuse; one line naming it.</exception>
    public static DuckDbSettings Parse(string query, string destination)
    {
        var settings = Default;
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var (name, value) = pair.IndexOf('=') is > 0 and var i ? (pair[..i].Trim().ToLowerInvariant(), pair[(i + 1)..].Trim()) : (pair.Trim(), "");
            settings = name switch
            {
                "memory_limit" when Size().IsMatch(value) => settings with { MemoryLimit = value },
                "memory_limit" => throw new ConfigException($"destination {destination}: memory_limit '{value}' is not a size; give e.g. memory_limit=256MB or 1GB"),
                "checkpoint_threshold" when Size().IsMatch(value) => settings with { CheckpointThreshold = value },
                "checkpoint_threshold" => throw new ConfigException($"destination {destination}: checkpoint_threshold '{value}' is not a size; give e.g. checkpoint_threshold=64MB"),
                "threads" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and <= 1024 => settings with { Threads = n },
                "threads" => throw new ConfigException($"destination {destination}: threads '{value}' is not a positive whole number"),
                _ => throw new ConfigException($"destination {destination}: unknown DuckDB option '{name}'; the options are {string.Join(", ", Names)} (duckdb:PATH?memory_limit=512MB&threads=1)"),
            };
        }
        return settings;
    }

    [GeneratedRegex(@"^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$", RegexOptions.IgnoreCase)]
    private static partial Regex Size();
}
