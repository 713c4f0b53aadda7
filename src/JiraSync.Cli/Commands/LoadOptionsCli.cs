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

    public static Option<int> BatchRows() => new("--batch-rows")
    {
        Description = "Rows per committed batch (state is stored with each batch)",
        DefaultValueFactory = _ => new LoadOptions().BatchRows,
    };
}
