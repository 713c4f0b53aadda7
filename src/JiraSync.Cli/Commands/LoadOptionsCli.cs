using System.CommandLine;
using JiraSync.Loading;
using JiraSync.Loading.Destinations;

namespace JiraSync.Cli.Commands;

/// <summary>Options shared by the loading commands (sync, target).</summary>
public static class LoadOptionsCli
{
    public static Option<string?> Destination() => new("--destination", "-D")
    {
        Description = $"{DestinationProviders.OptionHelp} (default {DestinationUri.Default}, or \"destination\" in the config)",
    };

    /// <summary>--partition i/n: sync one share of the site's projects (docs/scale-out.md).</summary>
    public static Option<string?> Partition() => new("--partition")
    {
        Description = "Sync share i of n of the site's projects (e.g. 2/3), with n processes loading one PostgreSQL database at once; partition 1 also writes the site-wide streams",
    };

    /// <summary>--run-group NAME: groups the partitions of one run in `jirasync runs`.</summary>
    public static Option<string?> RunGroup() => new("--run-group")
    {
        Description = "With --partition: an id shared by the partitions of one run (e.g. the orchestrator's run id), shown as one run by `jirasync runs`; default: partitions starting within 15 minutes are grouped",
    };

    /// <summary>The parsed --partition value, or null when not given.</summary>
    /// <exception cref="Errors.ConfigException">Not of the form i/n with 1 ≤ i ≤ n.</exception>
    public static Config.ProjectPartition? ParsePartition(string? text) => text is null ? null : Config.ProjectPartition.Parse(text);

    /// <summary>`--batch-rows N`: rows per committed batch (default <see cref="LoadOptions.BatchRows"/>); below 1 is a usage error.</summary>
    public static Option<int> BatchRows()
    {
        var option = new Option<int>("--batch-rows")
        {
            Description = "Rows per committed batch (state is stored with each batch)",
            DefaultValueFactory = _ => new LoadOptions().BatchRows,
        };
        // 0 or less would commit every row alone (many times slower), not "no batching".
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1)
                r.AddError($"--batch-rows must be at least 1 (rows per committed batch; default {new LoadOptions().BatchRows})");
        });
        return option;
    }
}
