using JiraSync.Tests.Support;

namespace JiraSync.Tests.Simulator;

/// <summary>`jirasync simulate` argument checking (the running server itself is covered through JiraSimulator).</summary>
public sealed class SimulateCommandTests
{
    [Fact]
    public async Task Help_lists_the_options()
    {
        var result = await CliRunner.RunAsync("simulate", "--help");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("--port", result.StdOut);
        Assert.Contains("--server", result.StdOut);
    }

    [Theory]
    [InlineData("--port", "70000", "--port must be between 0 and 65535")]
    [InlineData("--time-zone", "Mars/Olympus", "--time-zone 'Mars/Olympus' is not a known time zone")]
    public async Task Bad_options_exit_2_with_one_line(string option, string value, string message)
    {
        var result = await CliRunner.RunAsync("simulate", option, value);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"error: {message}", result.StdErr.Trim());
    }

    [Fact]
    public async Task A_cert_dir_that_cannot_be_created_is_bad_usage_not_a_listen_failure()
    {
        var result = await CliRunner.RunAsync("simulate", "--port", "0", "--cert-dir", "/dev/null/ca");
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: --cert-dir '/dev/null/ca' cannot be used: ", result.StdErr.Trim());
        Assert.DoesNotContain('\n', result.StdErr.Trim());
    }
}
