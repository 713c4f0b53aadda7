using System.CommandLine;
using JiraSync.Cli;
using JiraSync.Cli.Commands;

// `tap-jirasync ARGS` is `jirasync tap ARGS`: the same options, output, error lines and exit codes (TapCommand).
var root = TapCommand.Configure(new RootCommand(TapCommand.Description) { HelpName = "tap-jirasync" });
root.Options.Add(CommandSupport.Verbose);
return await CommandRunner.RunAsync(root, args);
