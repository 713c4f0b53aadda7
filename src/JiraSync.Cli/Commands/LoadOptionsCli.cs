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
