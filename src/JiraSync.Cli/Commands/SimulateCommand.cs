using System.CommandLine;
using JiraSync.Errors;
using JiraSync.Simulator;

namespace JiraSync.Cli.Commands;

/// <summary>`jirasync simulate`: the Jira simulator as a standalone HTTPS server until Ctrl+C.</summary>
public static class SimulateCommand
{
    public static Command Build()
    {
        var port = new Option<int>("--port", "-p") { Description = "Port on 127.0.0.1 (0 = any free port)", DefaultValueFactory = _ => 8443 };
        var seed = new Option<int>("--seed") { Description = "Seed for the generated data", DefaultValueFactory = _ => 42 };
        var projects = new Option<int>("--projects") { Description = "Visible projects", DefaultValueFactory = _ => 3 };
        var issues = new Option<int>("--issues-per-project") { Description = "Issues in each project", DefaultValueFactory = _ => 40 };
        var users = new Option<int>("--users") { Description = "Users", DefaultValueFactory = _ => 25 };
        var server = new Option<bool>("--server") { Description = "Behave like Jira Server/Data Center instead of Cloud" };
        var latency = new Option<int>("--latency-ms") { Description = "Delay added to every API response" };
        var perKiB = new Option<double>("--latency-per-kib") { Description = "Further delay per KiB of each response body, in ms (e.g. 0.5)" };
        var rateLimit = new Option<double>("--rate-limit") { Description = "Rate-limit mode: requests per second the site allows (0 = unlimited); answers carry X-RateLimit-* headers, an empty budget answers 429" };
        var rateBurst = new Option<int>("--rate-limit-burst") { Description = "Requests the rate-limit budget holds at once", DefaultValueFactory = _ => 10 };
        var timeZone = new Option<string>("--time-zone") { Description = "The Jira user's time zone (IANA)", DefaultValueFactory = _ => "America/New_York" };
        var config = new Option<string?>("--write-config") { Description = "Also write a tap config JSON (base_url, username, password, ca_cert, start_date) to this path" };
        var certDir = new Option<string?>("--cert-dir") { Description = "Directory for the CA certificate PEM (default: a temp directory)" };
        var heavy = new Option<int>("--heavy-issues") { Description = "Issues with 250 histories, 120 comments and 30 worklogs", DefaultValueFactory = _ => 2 };
        var noHidden = new Option<bool>("--no-hidden-project") { Description = "Leave out the project the user may not see" };
        var oneInstant = new Option<int>("--worklogs-at-one-instant") { Description = "Worklogs sharing one updated millisecond (at most half of all)", DefaultValueFactory = _ => 1100 };

        var command = new Command("simulate", "Run the Jira simulator (Cloud REST API v2 over HTTPS on 127.0.0.1) until Ctrl+C");
        foreach (var o in new Option[] { port, seed, projects, issues, users, server, latency, perKiB, rateLimit, rateBurst, timeZone, config, certDir, heavy, noHidden, oneInstant }) command.Options.Add(o);
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(port) is < 0 or > 65535) throw new ConfigException("--port must be between 0 and 65535");
            if (parse.GetValue(projects) < 1 || parse.GetValue(issues) < 0 || parse.GetValue(users) < 1)
                throw new ConfigException("--projects and --users must be at least 1 and --issues-per-project at least 0");
            if (parse.GetValue(heavy) < 0 || parse.GetValue(oneInstant) < 0 || parse.GetValue(latency) < 0 || parse.GetValue(perKiB) < 0
                || parse.GetValue(rateLimit) < 0 || parse.GetValue(rateBurst) < 1)
                throw new ConfigException("--heavy-issues, --worklogs-at-one-instant, --latency-ms, --latency-per-kib and --rate-limit cannot be negative, --rate-limit-burst must be at least 1");
            var zone = parse.GetValue(timeZone)!;
            if (!TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _)) throw new ConfigException($"--time-zone '{zone}' is not a known time zone");
            var options = new SimulatorOptions
            {
                Port = parse.GetValue(port), Seed = parse.GetValue(seed), Projects = parse.GetValue(projects),
                IssuesPerProject = parse.GetValue(issues), Users = parse.GetValue(users), TimeZone = zone,
                Deployment = parse.GetValue(server) ? Deployment.Server : Deployment.Cloud,
                LatencyMs = parse.GetValue(latency), LatencyPerKiBMs = parse.GetValue(perKiB),
                RateLimitPerSecond = parse.GetValue(rateLimit), RateLimitBurst = parse.GetValue(rateBurst), CertDirectory = parse.GetValue(certDir),
                HeavyIssues = parse.GetValue(heavy), HiddenProject = !parse.GetValue(noHidden),
                WorklogsAtOneInstant = parse.GetValue(oneInstant),
            };
            // The CA PEM is written before Kestrel binds; without this its I/O errors would read as a port problem.
            if (options.CertDirectory is { } dir)
            {
                try { Directory.CreateDirectory(dir); }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                { throw new ConfigException($"--cert-dir '{dir}' cannot be used: {ex.Message}", ex); }
            }
            JiraSimulator sim;
            try { sim = await JiraSimulator.StartAsync(options, ct); }
            catch (IOException ex) { throw new ConnectionException($"cannot listen on 127.0.0.1:{options.Port}: {ex.Message}", ex); }
            await using (sim)
            {
                Console.WriteLine($"Jira simulator ({options.Deployment}) listening on {sim.BaseUrl}");
                Console.WriteLine($"  CA certificate: {sim.CaCertPath}");
                Console.WriteLine($"  username:       {sim.Username}");
                Console.WriteLine(options.Deployment == Deployment.Cloud ? $"  api token:      {sim.ApiToken}" : $"  password:       {sim.ApiToken}");
                if (options.Deployment == Deployment.Server) Console.WriteLine($"  bearer PAT:     {sim.PersonalAccessToken}");
                Console.WriteLine($"  control:        {sim.BaseUrl}__sim/expected-keys (see docs/simulator.md)");
                if (parse.GetValue(config) is { } path) Console.WriteLine($"  config written: {sim.WriteConfig(path)}");
                Console.WriteLine("Press Ctrl+C to stop.");
                try { await Task.Delay(Timeout.Infinite, ct); }
                catch (OperationCanceledException) { }
            }
            return 0;
        });
        return command;
    }
}
