using System.CommandLine;

namespace JiraSync.Cli.Commands;

public static class VersionCommand
{
    public static Command Build()
    {
        var command = new Command("about", "Print the JiraSync version and runtime");
        command.SetAction(_ =>
        {
            Console.WriteLine($"jirasync {typeof(VersionCommand).Assembly.GetName().Version} on .NET {Environment.Version}");
            return 0;
        });
        return command;
    }
}
