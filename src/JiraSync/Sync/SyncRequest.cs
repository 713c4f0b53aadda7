using JiraSync.Loading;

namespace JiraSync.Sync;

/// <summary>What one sync is asked to do: the `sync` options (also what `schedule` passes for each run, and `demo`).</summary>
/// <param name="ConfigPath">The config file, read at the start of every run.</param>
public sealed record SyncRequest(string ConfigPath)
{
    /// <summary>--destination; null: the config's "destination", else <see cref="Loading.Destinations.DestinationUri.Default"/>.</summary>
    public string? Destination { get; init; }
    /// <summary>A Singer catalog file selecting streams and columns; null: everything (or <see cref="Streams"/>).</summary>
    public string? CatalogPath { get; init; }
    /// <summary>Comma-separated stream names to sync (a shortcut for a catalog selecting them).</summary>
    public string? Streams { get; init; }
    /// <summary>Streams whose bookmarks are forgotten first (a fresh historical sync).</summary>
    public IReadOnlyList<string> Reset { get; init; } = [];
    /// <summary>Rows per committed batch.</summary>
    public int BatchRows { get; init; } = new LoadOptions().BatchRows;
    /// <summary>Per-request METRIC lines on the console (they are always in the extraction log's request lines).</summary>
    public bool Verbose { get; init; }
    /// <summary>"sync" or "schedule", stored with the run.</summary>
    public string Trigger { get; init; } = "sync";
    /// <summary>Run the `check` connection test first (scheduled runs: a refused password is recorded as a failed run).</summary>
    public bool CheckFirst { get; init; }
    /// <summary>Hold the run lock and record the run in the run history with an extraction log (false: the demo).</summary>
    public bool Recorded { get; init; } = true;
    /// <summary>Count the loaded tables' rows at the end (<see cref="SyncResult.Tables"/>; the demo's report).</summary>
    public bool CountTables { get; init; }
    /// <summary>--partition i/n: sync this share of the site's projects only (a destination that accepts concurrent
    /// writers); null: the whole site.</summary>
    public Config.ProjectPartition? Partition { get; init; }
    /// <summary>--run-group NAME: the id that groups the partitions of one run in the run history (an orchestrator's run
    /// id); null: partitions are grouped by start time.</summary>
    public string? RunGroup { get; init; }
}
