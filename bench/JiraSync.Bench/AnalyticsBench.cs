using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace JiraSync.Bench;

/// <summary>
/// What building the field history costs: `bench load --issues N --analytics` loads the same spooled tap output
/// with `jirasync target` twice per destination, with the analytics layer on and with JIRASYNC_ANALYTICS=off, and
/// reports both wall and CPU times, plus the time the loader itself spent rebuilding history inside the batches'
/// transactions (its "analytics: history of N issues rebuilt in X s" line).
/// </summary>
public static partial class AnalyticsBench
{
    /// <summary>Loads <paramref name="spool"/> with `jirasync target` into one destination twice (analytics on, then off)
    /// and prints wall and CPU seconds of each plus the loader's own history-rebuild seconds.</summary>
    /// <param name="cli">Path of JiraSync.Cli.dll.</param>
    /// <param name="spool">A file of the tap's Singer output.</param>
    /// <param name="kind">"duckdb" or "postgres".</param>
    /// <param name="pg">PostgreSQL connection URI (used when <paramref name="kind"/> is postgres).</param>
    /// <param name="issues">Issues in the spool (for the printed row).</param>
    /// <param name="records">RECORD lines in the spool (for rows per second).</param>
    /// <param name="work">A scratch folder for the DuckDB files.</param>
    public static async Task RunAsync(string cli, string spool, string kind, string pg, int issues, long records, string work)
    {
        foreach (var on in new[] { false, true })
        {
            var destination = kind == "duckdb"
                ? "duckdb:" + Path.Combine(work, $"analytics-{on}.duckdb")
                : $"{pg};schema={await LoadBench.FreshSchemaAsync(pg, $"bench_analytics_{on}_{issues}")}";
            var env = on ? new Dictionary<string, string>() : new Dictionary<string, string> { ["JIRASYNC_ANALYTICS"] = "off" };
            var run = await LoadBench.RunAsync(cli, ["target", "--destination", destination], stdinFile: spool, stdoutFile: null, env);
            var m = HistoryLine().Match(run.StdErr);
            Console.WriteLine(new JsonObject
            {
                ["mode"] = "target", ["destination"] = kind, ["issues"] = issues, ["records"] = records, ["analytics"] = on,
                ["wall_s"] = Math.Round(run.Seconds, 2), ["cpu_s"] = Math.Round(run.CpuSeconds, 2), ["peak_rss_mb"] = Math.Round(run.PeakRssMb, 1),
                ["history_issues"] = m.Success ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null,
                ["history_s"] = m.Success ? double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) : null,
                ["views_s"] = m.Success ? double.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture) : null,
            }.ToJsonString());
        }
    }

    [GeneratedRegex(@"analytics: history of (\d+) issues rebuilt in ([\d.]+) s; views refreshed in ([\d.]+) s")]
    private static partial Regex HistoryLine();
}
