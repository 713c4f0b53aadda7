using System.CommandLine;
using JiraSync.Config;
using JiraSync.Jira;
using JiraSync.Logging;

namespace JiraSync.Cli;

/// <summary>What most commands share: the --config option, loading the config and a logger that
/// redacts the config's secrets from every line.</summary>
public static class CommandSupport
{
    /// <summary>--verbose/-v: debug logging and stack traces on errors. One instance for every command, so that
    /// <c>parse.GetValue(Verbose)</c> finds it wherever it was given (recursive on `jirasync`'s root).</summary>
    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Show debug logging and stack traces on errors",
        Recursive = true,
    };

    /// <summary>A new --config/-c option (each command needs its own instance).</summary>
    public static Option<string> ConfigOption(bool required = true) => new("--config", "-c")
    {
        Description = "JSON config file (tap-jira's keys: base_url, username, password, start_date, ...)",
        Required = required,
    };

    /// <summary>Loads the config (ConfigException on any problem) and makes the stderr logger.</summary>
    public static (JiraSyncConfig Config, ILog Log) LoadConfig(ParseResult parse, Option<string> configOption)
    {
        var path = parse.GetValue(configOption)!;
        // Warnings about the file name keys only, never values, so they need no redaction.
        var config = ConfigLoader.Load(path, log: CreateLog(parse));
        return (config, CreateLog(parse, config));
    }

    /// <summary>The Jira client for a config loaded from <paramref name="configPath"/>: a rotated OAuth refresh
    /// token is saved back into that file, since the old one stops working.</summary>
    public static JiraClient CreateClient(JiraSyncConfig config, ILog log, string configPath, JiraClientOptions? options = null)
    {
        var client = new JiraClient(config, log, options);
        client.Auth.RefreshTokenRotated = token => ConfigFileUpdater.ReplaceSecret(configPath, "refresh_token", token, log);
        return client;
    }

    /// <summary>Standard output as a plain file stream. Console's own stream swallows EPIPE, so a tap whose reader
    /// died would run on and exit 0; this one fails the run instead (see ErrorReporter).</summary>
    public static Stream OpenStdout() =>
        new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(1, ownsHandle: false), FileAccess.Write, bufferSize: 0);

    /// <summary>True when <paramref name="path"/> is the file standard output is redirected to (Linux: /proc/self/fd/1),
    /// as in <c>tap --state s.json &gt; s.json</c>, where the shell truncates the state before the tap reads it.</summary>
    public static bool IsStandardOutput(string path)
    {
        try
        {
            var target = new FileInfo("/proc/self/fd/1").LinkTarget;
            return target != null && string.Equals(Path.GetFullPath(target), Path.GetFullPath(path), StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }

    /// <summary>A stderr logger (Debug lines with --verbose) that removes the config's secrets.</summary>
    public static ILog CreateLog(ParseResult parse, JiraSyncConfig? config = null) =>
        new StderrLog(parse.GetValue(Verbose), new Redactor(config?.Secrets() ?? []));
}
