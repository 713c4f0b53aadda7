using System.CommandLine;
using JiraSync.Errors;
using JiraSync.Jira;
using JiraSync.Loading.Destinations;
using JiraSync.Reconciliation;
using Spectre.Console;

namespace JiraSync.Cli.Commands;

/// <summary>`jirasync verify --config C [--destination URI] [--json]`: the reconciliation on its own. Reads Jira (GET and
/// search only: projects, an id census, the child totals on each issue; <see cref="JiraCensus"/>) and the destination's
/// live rows, prints a verdict per table and exits 1 when a difference is unexplained. Nothing is written anywhere.</summary>
public static class VerifyCommand
{
    /// <summary>The `verify --config FILE [--destination URI] [--partition i/n] [--json]` command: exit 0 on match or
    /// explained differences, 1 on an unexplained one.</summary>
    public static Command Build()
    {
        var config = CommandSupport.ConfigOption();
        var destination = LoadOptionsCli.Destination();
        var json = new Option<bool>("--json") { Description = "Machine-readable output" };
        var partition = LoadOptionsCli.Partition();
        partition.Description = "Check one partition of a partitioned sync (i/n, as given to sync --partition): its projects, its state";
        var command = new Command("verify", "Reconcile Jira's own counts with the destination's rows (read-only; exit 1 on an unexplained difference)");
        foreach (var o in new Option[] { config, destination, json, partition }) command.Options.Add(o);
        command.SetAction(async (parse, ct) =>
        {
            var share = LoadOptionsCli.ParsePartition(parse.GetValue(partition));
            var (settings, log) = CommandSupport.LoadConfig(parse, config);
            settings = settings with { Partition = share };
            var uri = DestinationUri.Parse(parse.GetValue(destination) ?? settings.Destination);
            Sync.SyncJob.RequireConcurrentWriters(share, uri);
            using var client = CommandSupport.CreateClient(settings, log, parse.GetValue(config)!, JiraClientOptions.Default with { LogMetrics = false });
            await using var dest = await uri.OpenAsync(log, ct);
            dest.StateKey = Sync.SyncJob.StateKeyFor(settings);
            var state = await dest.ReadStateAsync(ct)
                        ?? throw new ConfigException($"{dest.Name} holds no state for this Jira site{(share is null ? "" : $" and partition {share}")} yet; run 'jirasync sync{(share is null ? "" : $" --partition {share}")}' before 'verify'");
            var tally = await JiraCensus.ReadAsync(client, settings, log, state, ct);
            var report = await Reconciler.RunAsync(tally, dest, (id, t) => JiraCensus.ProbeAsync(client, id, t),
                new Reconciler.Options("verify", AfterSync: true, DateTimeOffset.UtcNow), ct);
            if (parse.GetValue(json))
            {
                var o = Runs.RunHistoryJson.Reconciliation(report.Rows) ?? new System.Text.Json.Nodes.JsonObject();
                o["destination"] = dest.Name;
                Console.WriteLine(o.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
            }
            else
            {
                var stdout = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
                if (Console.IsOutputRedirected) stdout.Profile.Width = 160;
                ReconciliationView.Table(stdout, report.Rows);
            }
            if (report.Verdict == ReconciliationVerdict.Unexplained)
                throw new RunFailedException($"verify: {dest.Name} differs from Jira and nothing explains it: " +
                    string.Join("; ", report.Rows.Where(r => r.Verdict == ReconciliationVerdict.Unexplained && !(r.Table == "issues" && r.Scope == "*"))
                        .Select(r => $"{(r.Scope == "*" ? r.Table : r.Table + " " + r.Scope)}: {r.Note}" +
                            (r.AffectedKeys.Count > 0 ? $" [{string.Join(", ", r.AffectedKeys)}]" : ""))));
            return ExitCodes.Success;
        });
        return command;
    }
}
