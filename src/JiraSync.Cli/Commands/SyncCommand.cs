using System.CommandLine;
using JiraSync.Errors;
using JiraSync.Jira;
using JiraSync.Loading;
using JiraSync.Loading.Destinations;
using JiraSync.Logging;
using JiraSync.Runs;
using JiraSync.Scheduling;
using JiraSync.Singer;
using JiraSync.Streams;
using JiraSync.Sync;

namespace JiraSync.Cli.Commands;

/// <summary>`jirasync sync`: extract from Jira and load into the destination in one process; the state
/// lives in the destination, committed with the rows it covers. Each run is recorded in the run history
/// (`jirasync runs`) with its extraction log, and holds the destination's run lock.</summary>
public static class SyncCommand
{
    public static Command Build()
    {
        var config = CommandSupport.ConfigOption();
        var catalog = new Option<string?>("--catalog", "--properties") { Description = "Singer catalog selecting streams and columns (default: everything)" };
        var destination = LoadOptionsCli.Destination();
        var streams = new Option<string?>("--streams") { Description = "Comma-separated streams to sync (a shortcut for a catalog selecting them)" };
        var reset = new Option<string[]>("--reset") { Description = "Forget a stream's bookmark first, for a fresh historical sync (repeatable, or comma-separated)", AllowMultipleArgumentsPerToken = true };
        var batchRows = LoadOptionsCli.BatchRows();
        var partition = LoadOptionsCli.Partition();
        var runGroup = LoadOptionsCli.RunGroup();
        var command = new Command("sync", "Extract from Jira and load into DuckDB, PostgreSQL or JSON lines (state kept in the destination)");
        foreach (var o in new Option[] { config, catalog, destination, streams, reset, batchRows, partition, runGroup }) command.Options.Add(o);
        command.SetAction(async (parse, ct) =>
        {
            var request = new SyncRequest(parse.GetValue(config)!)
            {
                CatalogPath = parse.GetValue(catalog),
                Destination = parse.GetValue(destination),
                Streams = parse.GetValue(streams),
                Reset = (parse.GetValue(reset) ?? []).SelectMany(r => r.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList(),
                BatchRows = parse.GetValue(batchRows),
                Verbose = parse.GetValue(JiraSyncCli.Verbose),
                Partition = LoadOptionsCli.ParsePartition(parse.GetValue(partition)),
                RunGroup = parse.GetValue(runGroup),
            };
            if (request.Streams != null) SyncJob.ParseStreams(request.Streams); // bad usage before anything is opened
            using var shutdown = new ShutdownSignal(CommandSupport.CreateLog(parse));
            var outcome = await RunAsync(request, shutdown.Token, ct);
            if (outcome.Status == RunStatus.Cancelled)
                throw new RunFailedException("stopped by signal; what was extracted is committed, and the next sync resumes from there");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>One recorded sync (<see cref="SyncJob"/>), its progress on the console. <paramref name="stop"/>
    /// (SIGINT/SIGTERM) stops extraction and lets the loader commit what it already received with its state;
    /// <paramref name="ct"/> aborts everything. Failures are recorded in the run history and rethrown.</summary>
    public static async Task<RunOutcome> RunAsync(SyncRequest request, CancellationToken stop, CancellationToken ct)
    {
        var env = new SyncEnvironment(new StderrLog(request.Verbose, Redactor.Process))
        {
            Progress = SyncProgress.Create(request.Verbose),
            CreateClient = (config, log, options) => CommandSupport.CreateClient(config, log, request.ConfigPath, options),
        };
        return (await SyncJob.RunAsync(request, env, stop, ct)).Outcome;
    }
}
