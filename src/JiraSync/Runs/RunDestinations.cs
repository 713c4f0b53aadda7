using System.Text.RegularExpressions;
using JiraSync.Loading;

namespace JiraSync.Runs;

/// <summary>The run-history store and the run lock of a destination, from the loader's parsed destination URI.</summary>
public static partial class RunDestinations
{
    public static IRunStore OpenStore(DestinationUri uri) => uri.Kind switch
    {
        DestinationKind.DuckDb => new DuckDbRunStore(uri.Target),
        DestinationKind.Jsonl => new JsonlRunStore(uri.Target),
        // A database has no folder "next to it": extraction logs of PostgreSQL destinations go under ./.jirasync/logs,
        // one folder per database and schema; the runs table stores each log's absolute path.
        _ => new PostgresRunStore(uri.Target, uri.Schema,
            Path.Combine(Path.GetFullPath(".jirasync"), "logs", Unsafe().Replace($"{uri.Display}-{uri.Schema}".Replace("postgres://", ""), "_")),
            $"{uri.Display}?schema={uri.Schema}"),
    };

    /// <summary>Takes the destination's run lock, or returns null when another run holds it.</summary>
    public static async Task<IAsyncDisposable?> TryLockAsync(DestinationUri uri, CancellationToken ct = default)
    {
        switch (uri.Kind)
        {
            case DestinationKind.Postgres:
                return await PostgresAdvisoryLock.TryAcquireAsync(uri.Target, uri.Schema, uri.Display, ct);
            case DestinationKind.DuckDb:
                return DestinationLock.TryAcquire(Path.GetFullPath(uri.Target) + ".lock");
            default:
                return DestinationLock.TryAcquire(Path.Combine(Path.GetFullPath(uri.Target), ".jirasync.lock"));
        }
    }

    [GeneratedRegex("[^A-Za-z0-9._-]+")]
    private static partial Regex Unsafe();
}
