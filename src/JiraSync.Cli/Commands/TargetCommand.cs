using System.CommandLine;
using JiraSync.Analytics;
using JiraSync.Errors;
using JiraSync.Loading;
using JiraSync.Loading.Destinations;
using JiraSync.Logging;
using JiraSync.Singer;

namespace JiraSync.Cli.Commands;

/// <summary>`jirasync target`: Singer messages on stdin → destination. Each committed batch's STATE is
/// echoed on stdout (bare value, one line), as Singer targets do, only once its rows are durable.</summary>
public static class TargetCommand
{
    public static Command Build()
    {
        var destination = LoadOptionsCli.Destination();
        var batchRows = LoadOptionsCli.BatchRows();
        var config = new Option<string?>("--config", "-c") { Description = "Singer target config JSON: {\"destination\": URI, \"batch_rows\": N} (how Meltano runs targets)" };
        var command = new Command("target", "Load Singer messages from stdin (any Singer tap) into a destination");
        command.Options.Add(destination);
        command.Options.Add(batchRows);
        command.Options.Add(config);
        command.SetAction(async (parse, ct) =>
        {
            var log = new StderrLog(parse.GetValue(JiraSyncCli.Verbose), Redactor.Process);
            var file = TargetConfig.Load(parse.GetValue(config));
            var uri = DestinationUri.Parse(parse.GetValue(destination) ?? file.Destination);
            var rows = parse.GetResult(batchRows) is { Implicit: false } ? parse.GetValue(batchRows) : file.BatchRows ?? parse.GetValue(batchRows);
            await using var dest = await uri.OpenAsync(log, ct);
            // Deletion cascades and re-sent children follow the SCHEMA hints (x-jirasync-children), as in `sync`.
            var options = new LoadOptions { ValidateRecords = true, BatchRows = rows, SqlBatchHooks = AnalyticsHook.ForJiraLoads() };
            var loader = new Loader(dest, log, options);
            var stdout = Console.Out;
            loader.StateCommitted += state => { stdout.WriteLine(state.ToJsonString()); stdout.Flush(); };
            // UTF-8 bytes straight from stdin: Console.In is synchronized and decodes to text the parser would encode again.
            await using var stdin = Console.OpenStandardInput();
            var reader = new SingerReader(stdin, "stdin");
            LoadReport report;
            try
            {
                report = await loader.LoadAsync(reader.ReadAllAsync(ct), ct);
            }
            catch (InvalidMessageException e)
            {
                // Batches committed before the bad line stay; the message says where to look.
                throw new RunFailedException($"stdin line {reader.LineNumber}: {e.Message}", e);
            }
            catch (SingerFormatException e)
            {
                throw new RunFailedException(e.Message, e); // a malformed input line fails the run (exit 1)
            }
            report.LogTo(log, dest.Name);
            return ExitCodes.Success;
        });
        return command;
    }
}
