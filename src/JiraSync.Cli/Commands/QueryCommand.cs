using System.CommandLine;
using JiraSync.Config;
using JiraSync.Errors;
using JiraSync.Loading;
using JiraSync.Loading.Destinations;
using JiraSync.Querying;

namespace JiraSync.Cli.Commands;

/// <summary>`jirasync query [--destination URI] ["SQL"]`: read-only SQL on the destination, printed as a table, CSV
/// or JSON; without SQL, the destination's tables with row counts and its views. A query the database refuses is
/// one line with its reason, exit 2.</summary>
public static class QueryCommand
{
    /// <summary>The `query [SQL] [--destination URI] [--format table|csv|json]` command.</summary>
    public static Command Build()
    {
        var sql = new Argument<string?>("SQL") { Description = "The query; leave it out to list the tables (with row counts) and views", Arity = ArgumentArity.ZeroOrOne };
        var destination = LoadOptionsCli.Destination();
        var config = CommandSupport.ConfigOption(required: false);
        config.Description = "Config file whose \"destination\" to read (when --destination is not given)";
        var format = new Option<QueryFormat?>("--format", "-f") { Description = "table, csv or json (default: table on a terminal, csv when stdout is a pipe or file)" };
        var command = new Command("query", "Run read-only SQL on the destination and print the result; no SQL lists the tables and views");
        command.Arguments.Add(sql);
        foreach (var o in new Option[] { destination, config, format }) command.Options.Add(o);
        command.SetAction(async (parse, ct) =>
        {
            var uriText = parse.GetValue(destination);
            if (uriText is null && parse.GetValue(config) is { } configPath) uriText = ConfigLoader.Load(configPath).Destination;
            var uri = DestinationUri.Parse(uriText);
            if (uriText is null && uri.Provider.MissingReason(uri) is not null && File.Exists(DemoCommand.DemoFile))
            {
                // A newcomer's first query after `jirasync demo`: no sync has made the default file yet, the demo's file is here.
                Console.Error.WriteLine($"note: no {uri.Target} here; querying the demo's {DemoCommand.DemoFile} (give --destination to choose)");
                uri = DestinationUri.Parse("duckdb:" + DemoCommand.DemoFile);
            }
            var output = parse.GetValue(format) ?? (Console.IsOutputRedirected ? QueryFormat.Csv : QueryFormat.Table);
            await using var connection = await DestinationQuery.OpenAsync(uri, ct);
            // Console's own stream: a reader that stops early (`| head`) ends the output quietly, as for any query tool.
            await using var stdout = Console.OpenStandardOutput();
            var text = parse.GetValue(sql);
            if (string.IsNullOrWhiteSpace(text))
            {
                QueryOutput.Tables(stdout, await DestinationQuery.ListAsync(connection, ct), uri.ToString(), output);
                return ExitCodes.Success;
            }
            await using var result = await DestinationQuery.ExecuteAsync(connection, text, ct);
            try { await QueryOutput.WriteAsync(stdout, result, output, ct); }
            catch (Exception e) when (DestinationQuery.IsDatabaseError(e))
            {
                throw DestinationQuery.Refused(e); // an error found while reading rows (a failed cast in row 1000)
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
