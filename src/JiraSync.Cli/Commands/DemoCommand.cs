using System.CommandLine;
using System.Diagnostics;
using JiraSync.Config;
using JiraSync.Errors;
using JiraSync.Loading;
using JiraSync.Loading.Destinations;
using JiraSync.Logging;
using JiraSync.Simulator;
using JiraSync.Streams;
using JiraSync.Sync;
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
                var configPath = sim.WriteConfig(Path.Combine(work.FullName, "config.json"));
                ILog console = new StderrLog(verbose, Redactor.Process);
                // The demo shows the report, not the tap's chatter: warnings and errors only, unless --verbose.
                var env = new SyncEnvironment(verbose ? console : new MinimumLevelLog(console, LogLevel.Warning))
                {
                    Progress = SyncProgress.Create(verbose, clearWhenDone: true),
                };
                // Not recorded: the demo file is recreated each time, and needs no run history or lock beside it.
                // Every stream, those costing a request per issue too: the simulator is local and small.
                var request = new SyncRequest(configPath)
                {
                    Destination = "duckdb:" + DemoFile, Verbose = verbose, Recorded = false, CountTables = true,
                    Streams = string.Join(",", StreamRegistry.All.Select(d => d.Name)),
                };
                var result = await SyncJob.RunAsync(request, env, CancellationToken.None, ct);
                var report = result.Report!;

                // Plain lines for the text (no wrapping of the query when piped); a table for the report.
                Console.WriteLine($"Synced the Jira simulator ({sim.BaseUrl}) into {DemoFile} in {clock.Elapsed.TotalSeconds:0.0} s:");
                Console.WriteLine($"{report.TotalReceived:N0} records, {result.Metrics.Requests:N0} HTTP requests, {report.Batches} committed batch(es).");
                LoadReportView.Table(AnsiConsole.Console, report, result.Tables);
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
