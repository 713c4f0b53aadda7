using System.CommandLine;
using System.Diagnostics;
using JiraSync.Config;
using JiraSync.Errors;
using JiraSync.Loading;
using JiraSync.Logging;
using JiraSync.Simulator;
using JiraSync.Streams;
using Spectre.Console;

namespace JiraSync.Cli.Commands;

/// <summary>`jirasync demo`: the whole product on a fresh machine. Starts the built-in Jira simulator,
/// syncs it into ./jirasync-demo.duckdb (recreated each time), prints the loading report and a query to try.</summary>
public static class DemoCommand
{
    public const string DemoFile = "jirasync-demo.duckdb";

    public static Command Build()
    {
        var issues = new Option<int>("--issues-per-project") { Description = "Issues the simulator generates per project", DefaultValueFactory = _ => 40 };
        var command = new Command("demo", $"Sync the built-in Jira simulator into ./{DemoFile} and show the loading report (no Jira account needed)");
        command.Options.Add(issues);
        command.SetAction(async (parse, ct) =>
        {
            var verbose = parse.GetValue(JiraSyncCli.Verbose);
            var file = Path.GetFullPath(DemoFile);
            foreach (var f in new[] { file, file + ".wal" }) File.Delete(f);
            var work = Directory.CreateTempSubdirectory("jirasync-demo-");
            try
            {
                var clock = Stopwatch.StartNew();
                await using var sim = await JiraSimulator.StartAsync(new SimulatorOptions
                {
                    IssuesPerProject = parse.GetValue(issues),
                    CertDirectory = work.FullName,
                }, ct);
                var settings = ConfigLoader.Load(sim.WriteConfig(Path.Combine(work.FullName, "config.json")));
                var progress = SyncProgress.Create(verbose, clearWhenDone: true);
                ILog console = new StderrLog(verbose, new Redactor(settings.Secrets()));
                // The demo shows the report, not the tap's chatter: warnings and errors only, unless --verbose.
                var log = progress.Wrap(verbose ? console : new MinimumLevelLog(console, LogLevel.Warning));
                using var client = new Jira.JiraClient(settings, log);
                var tap = new TapRunner(client, settings, log);
                await using var dest = await DestinationUri.Parse("duckdb:" + DemoFile).OpenAsync(log, ct);
                var loader = new Loader(dest, log, new LoadOptions { Cascades = DeletionCascade.ForJiraStreams(), SnapshotChildren = DeletionCascade.JiraSnapshotChildren() });
                var report = await progress.RunAsync(loader, client.Metrics, () => SyncPipeline.RunAsync(tap, null, dest, loader, log, ct), client.Gate);
                var tables = await dest.CountRowsAsync(report.Streams.Keys, ct);

                // Plain lines for the text (no wrapping of the query when piped); a table for the report.
                Console.WriteLine($"Synced the Jira simulator ({sim.BaseUrl}) into {DemoFile} in {clock.Elapsed.TotalSeconds:0.0} s:");
                Console.WriteLine($"{report.TotalReceived:N0} records, {client.Metrics.Requests:N0} HTTP requests, {report.Batches} committed batch(es).");
                LoadReportView.Table(AnsiConsole.Console, report, tables);
                Console.WriteLine();
                Console.WriteLine("Try next:");
                Console.WriteLine($"  jirasync query               # the tables of {DemoFile}, with row counts");
                Console.WriteLine($"  jirasync query \"SELECT fields__status->>'name' AS status, count(*) AS issues FROM issues GROUP BY 1 ORDER BY 2 DESC, 1\"");
                Console.WriteLine("Then your own Jira: jirasync check --config config.json && jirasync sync --config config.json");
                return ExitCodes.Success;
            }
            finally
            {
                try { work.Delete(true); } catch (IOException) { }
            }
        });
        return command;
    }
}
