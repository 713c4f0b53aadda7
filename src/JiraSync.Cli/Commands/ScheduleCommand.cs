using System.CommandLine;
using JiraSync.Errors;
using JiraSync.Logging;
using JiraSync.Scheduling;
using JiraSync.Sync;

namespace JiraSync.Cli.Commands;

/// <summary>
/// `jirasync schedule --config C (--every 1h [--anchor HH:MM] [--tz Z] | --cron EXPR) [--destination URI] [--max-runs N]`:
/// runs `sync` on a schedule, each run starting with the `check` connection test and recorded in the run history.
/// A failed run (a refused password, Jira unreachable) is recorded with its reason and the schedule goes on.
/// SIGINT/SIGTERM: the run in progress stops extracting, commits what it received, and the program exits 0.
/// </summary>
public static class ScheduleCommand
{
    public static Command Build()
    {
        var config = CommandSupport.ConfigOption();
        var every = new Option<string?>("--every") { Description = "Run every INTERVAL: 30s, 15m, 1h, 1h30m, 1d" };
        var anchor = new Option<string?>("--anchor") { Description = "With --every: run at this time of day (HH:MM) and every interval from it, like Stitch's anchor scheduling" };
        var tz = new Option<string?>("--tz") { Description = "Time zone of --anchor or --cron (IANA name, e.g. Europe/Berlin; default: the local zone)" };
        var cron = new Option<string?>("--cron") { Description = "Cron expression: 5 fields (minute hour day month weekday) or 6 with seconds first" };
        var destination = LoadOptionsCli.Destination();
        var catalog = new Option<string?>("--catalog", "--properties") { Description = "Singer catalog selecting streams and columns (default: everything)" };
        var streams = new Option<string?>("--streams") { Description = "Comma-separated streams to sync" };
        var maxRuns = new Option<int?>("--max-runs") { Description = "Stop after N runs (default: run until stopped)" };
        var batchRows = LoadOptionsCli.BatchRows();
        var partition = LoadOptionsCli.Partition();
        var command = new Command("schedule", "Run sync on a schedule (--every with optional --anchor, or --cron), never two runs at once on a destination");
        foreach (var o in new Option[] { config, every, anchor, tz, cron, destination, catalog, streams, maxRuns, batchRows, partition }) command.Options.Add(o);
        command.SetAction(async (parse, ct) =>
        {
            var verbose = parse.GetValue(JiraSyncCli.Verbose);
            var schedule = ScheduleParser.Parse(parse.GetValue(every), parse.GetValue(anchor), parse.GetValue(tz), parse.GetValue(cron), DateTimeOffset.UtcNow);
            if (parse.GetValue(maxRuns) is < 1) throw new ConfigException("--max-runs must be at least 1");
            if (parse.GetValue(streams) is { } named) SyncJob.ParseStreams(named); // fail now, not at every fire time
            var configPath = parse.GetValue(config)!;
            // Fail at once on a config that cannot work at all, rather than at every fire time.
            var settings = Config.ConfigLoader.Load(configPath);
            var log = new StderrLog(verbose, new Redactor(settings.Secrets()));
            var request = new SyncRequest(configPath)
            {
                CatalogPath = parse.GetValue(catalog), Destination = parse.GetValue(destination), Streams = parse.GetValue(streams),
                BatchRows = parse.GetValue(batchRows), Verbose = verbose, Trigger = "schedule", CheckFirst = true,
                Partition = LoadOptionsCli.ParsePartition(parse.GetValue(partition)),
            };

            SyncJob.RequireConcurrentWriters(request.Partition, Loading.Destinations.DestinationUri.Parse(request.Destination ?? settings.Destination));
            using var shutdown = new ShutdownSignal(log);
            var scheduler = new Scheduler(schedule, TimeProvider.System, log);
            var result = await scheduler.RunAsync(stop => SyncCommand.RunAsync(request, stop, ct), parse.GetValue(maxRuns), shutdown.Token);
            return result.ExitCode;
        });
        return command;
    }
}
