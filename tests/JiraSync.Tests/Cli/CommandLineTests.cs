using JiraSync.Tests.Support;

namespace JiraSync.Tests.Cli;

public class CommandLineTests
{
    [Fact]
    public async Task Help_lists_the_commands_and_exits_zero()
    {
        var result = await CliRunner.RunAsync("--help");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("--verbose", result.StdOut);
        Assert.Contains("Usage:\n  jirasync [command] [options]", result.StdOut.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Unknown_command_is_bad_usage_exit_2_without_stack_trace()
    {
        var result = await CliRunner.RunAsync("no-such-command");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no-such-command", result.StdErr);
        Assert.DoesNotContain("   at ", result.StdErr);
    }
}
