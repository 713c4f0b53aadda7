using JiraSync.Cli;

return await JiraSyncCli.RunAsync(args);
