using System.CommandLine;
using JiraSync.Jira;

namespace JiraSync.Cli.Commands;

/// <summary>`jirasync check --config C`: a connection test that prints one line per fact
/// (URL, TLS, user, deployment, time zone, visible projects). Exit 2 bad config, 3 credentials refused,
/// 4 host unreachable or TLS failure.</summary>
public static class CheckCommand
{
    public static Command Build()
    {
        var config = CommandSupport.ConfigOption();
        var command = new Command("check", "Test the connection to Jira: URL, TLS, credentials, deployment, time zone, visible projects");
        command.Options.Add(config);
        command.SetAction(async (parse, ct) =>
        {
            var (settings, log) = CommandSupport.LoadConfig(parse, config);
            // A connection test should answer in seconds, not ride out minutes of backoff.
            using var client = CommandSupport.CreateClient(settings, log, parse.GetValue(config)!,
                JiraClientOptions.Default with { MaxAttempts = 3, LogMetrics = false });
            var report = await ConnectionCheck.RunAsync(client, ct, settings.Projects);
            foreach (var (label, value) in report.Lines())
                Console.WriteLine($"{label + ":",-12} {value}");
            return 0;
        });
        return command;
    }
}
