using JiraSync.Loading.Destinations.DuckDb;
using JiraSync.Loading.Destinations.Jsonl;
using JiraSync.Loading.Destinations.Postgres;

namespace JiraSync.Loading.Destinations;

/// <summary>The destination backends JiraSync can load into: the one list to extend with a new backend.</summary>
public static class DestinationProviders
{
    /// <summary>Every backend, in the order help texts name them and <see cref="DestinationUri.Parse"/> asks them.</summary>
    public static IReadOnlyList<IDestinationProvider> All { get; } =
    [
        new DuckDbProvider(),
        new PostgresProvider(),
        new JsonlProvider(),
    ];

    /// <summary>The "use …" hint of error messages: every backend's forms, e.g. "use duckdb:PATH, …, or jsonl:DIR".</summary>
    public static string Usage =>
        "use " + (All.Count == 1 ? All[0].UsageHelp : string.Join(", ", All.Take(All.Count - 1).Select(p => p.UsageHelp)) + ", or " + All[^1].UsageHelp);

    /// <summary>The forms for a --destination option's description, separated by " | ".</summary>
    public static string OptionHelp => string.Join(" | ", All.Select(p => p.OptionHelp));
}
