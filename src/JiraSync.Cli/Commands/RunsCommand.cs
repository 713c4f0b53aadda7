using System.CommandLine;
using System.Text.Json;
using JiraSync.Config;
using JiraSync.Errors;
using JiraSync.Loading;
using JiraSync.Loading.Destinations;
using JiraSync.Runs;
using JiraSync.Runs.Report;
using Spectre.Console;

namespace JiraSync.Cli.Commands;

/// <summary>`jirasync runs [RUN_ID] [--destination URI] [--json] [--html F]`: run history, loading reports, row usage.</summary>
public static class RunsCommand
{
    public static Command Build()
    {
        var runId = new Argument<string?>("RUN_ID") { Description = "Show this run's loading report and extraction log path", Arity = ArgumentArity.ZeroOrOne };
        var destination = LoadOptionsCli.Destination();
        var config = CommandSupport.ConfigOption(required: false);
        config.Description = "Config file whose \"destination\" to read (when --destination is not given)";
        var json = new Option<bool>("--json") { Description = "Machine-readable output" };
        var html = new Option<string?>("--html") { Description = "Write a self-contained HTML report with charts to this file" };
        var limit = new Option<int>("--limit", "-n") { Description = "How many recent runs to show", DefaultValueFactory = _ => 20 };
        var command = new Command("runs", "Run history: recent runs, row usage, one run's loading report (RUN_ID), an HTML report (--html)");
        command.Arguments.Add(runId);
        foreach (var o in new Option[] { destination, config, json, html, limit }) command.Options.Add(o);
        command.SetAction(async (parse, ct) =>
        {
            var uriText = parse.GetValue(destination);
            if (uriText is null && parse.GetValue(config) is { } configPath) uriText = ConfigLoader.Load(configPath).Destination;
            var uri = DestinationUri.Parse(uriText);
            if (parse.GetValue(limit) < 1) throw new ConfigException("--limit must be at least 1");
            // Runs the destination could not record (it could not be opened, or its disk filled) are in the local run history.
            var local = LocalRunHistory.Exists(uri);
            if (!local && uriText is null && uri.Provider.MissingReason(uri) is { } absent && File.Exists(DemoCommand.DemoFile))
                // A newcomer's next step after `jirasync demo`: the demo's file is recreated each run and keeps no run history.
                throw new ConfigException($"{absent}; the demo's {DemoCommand.DemoFile} keeps no run history: " +
                    "`jirasync sync --config config.json` records each run, then `jirasync runs` lists them");
            if (!local) uri.RequireExisting();
            else if (uri.Provider.MissingReason(uri) is { } missing) WarnLocalOnly(missing);
            else
            {
                await using var merged = LocalRunHistory.Merged(uri);
                try { return await ShowAsync(merged); }
                catch (Exception e) when (DestinationOpenException.IsOpenFailure(uri, e)) { WarnLocalOnly(DestinationOpenException.From(uri, e).Message); }
            }
            await using var store = local ? LocalRunHistory.Open(uri) : uri.OpenRunStore();
            return await ShowAsync(store);

            // The destination cannot be read (missing, the wrong kind of path, not a database): say why, then list what this machine recorded.
            void WarnLocalOnly(string reason) =>
                Console.Error.WriteLine($"WARNING {reason}; showing only the runs recorded on this machine ({LocalRunHistory.DirectoryFor(uri)})");

            async Task<int> ShowAsync(IRunStore store)
            {
                var stdout = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
                // Piped output has no terminal width; Spectre would assume 80 columns and wrap every cell.
                if (Console.IsOutputRedirected)
                    stdout.Profile.Width = int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out var cols) && cols >= 40 ? cols : 160;

                if (parse.GetValue(runId) is { } id)
                {
                    var run = RunIds.IsWellFormed(id) ? await store.GetRunAsync(id, ct) : null;
                    // A partitioned run's id (its --run-group, or its first partition's run id when listed as a group): every partition's report.
                    var group = RunIds.IsWellFormed(id)
                        ? RunGroup.Of(await store.ListRunsAsync(1000, ct: ct)).FirstOrDefault(g => g.IsPartitioned && g.Id == id && (run is null || g.Members.Count > 1))
                        : null;
                    if (group is not null) return await ShowGroupAsync(store, group, stdout);
                    if (run is null) throw new ConfigException($"no run '{id}' in {uri}; 'jirasync runs' lists the recorded runs");
                    var streams = await store.ListStreamsAsync([run.RunId], ct);
                    var reconciliation = await store.ListReconciliationAsync([run.RunId], ct);
                    if (parse.GetValue(json))
                    {
                        var o = RunHistoryJson.Run(run, streams, withStreams: true);
                        o["reconciliation"] = RunHistoryJson.Reconciliation(reconciliation);
                        Console.WriteLine(o.ToJsonString(Indented));
                    }
                    else
                    {
                        RunsView.Run(stdout, run, streams);
                        ReconciliationView.Table(stdout, reconciliation);
                    }
                    return ExitCodes.Success;
                }

                // The report's charts show up to HtmlReport.ChartRuns runs unless --limit says otherwise.
                var count = parse.GetValue(html) is not null && parse.GetResult(limit) is null or { Implicit: true }
                    ? HtmlReport.ChartRuns : parse.GetValue(limit);
                var history = await RunHistory.ReadAsync(store, count, DateTimeOffset.UtcNow, ct: ct);
                if (parse.GetValue(html) is { } htmlPath)
                {
                    var full = Path.GetFullPath(htmlPath);
                    try { await File.WriteAllTextAsync(full, HtmlReport.Render(history, uri.ToString()), ct); }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        throw new ConfigException($"cannot write the HTML report to {full}: {UserFile.Cause(e, full, writing: true)}");
                    }
                    Console.Error.WriteLine($"wrote {full} ({history.Runs.Count} run(s))");
                    if (!parse.GetValue(json)) return ExitCodes.Success;
                }
                if (parse.GetValue(json)) Console.WriteLine(RunHistoryJson.Of(history, uri.ToString()).ToJsonString(Indented));
                else RunsView.History(stdout, history, uri.ToString());
                return ExitCodes.Success;
            }

            async Task<int> ShowGroupAsync(IRunStore store, RunGroup group, IAnsiConsole stdout)
            {
                if (parse.GetValue(json))
                {
                    var parts = new System.Text.Json.Nodes.JsonArray();
                    foreach (var m in group.Members)
                    {
                        var o = RunHistoryJson.Run(m, await store.ListStreamsAsync([m.RunId], ct), withStreams: true);
                        o["reconciliation"] = RunHistoryJson.Reconciliation(await store.ListReconciliationAsync([m.RunId], ct));
                        parts.Add(o);
                    }
                    Console.WriteLine(new System.Text.Json.Nodes.JsonObject
                    {
                        ["run_id"] = group.Id, ["status"] = group.Status.ToText(), ["partitions"] = parts,
                    }.ToJsonString(Indented));
                    return ExitCodes.Success;
                }
                RunsView.Group(stdout, group);
                foreach (var m in group.Members)
                {
                    RunsView.Run(stdout, m, await store.ListStreamsAsync([m.RunId], ct));
                    ReconciliationView.Table(stdout, await store.ListReconciliationAsync([m.RunId], ct));
                    stdout.WriteLine();
                }
                return ExitCodes.Success;
            }
        });
        return command;
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
}
