namespace JiraSync.Errors;

/// <summary>
/// An expected failure with a one-line message for the user and the process exit code it maps to.
/// Messages must never contain secrets; build them from setting names and redacted URLs only.
/// </summary>
/// <param name="message">One line naming what is wrong and how to fix it; no secrets.</param>
/// <param name="exitCode">One of <see cref="ExitCodes"/>.</param>
/// <param name="inner">The underlying exception, shown only with --verbose.</param>
public class JiraSyncException(string message, int exitCode, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The process exit code this failure maps to, one of <see cref="ExitCodes"/>.</summary>
    public int ExitCode { get; } = exitCode;
}

/// <summary>Exit codes of the `jirasync` program (DESIGN.md, "Command line").</summary>
public static class ExitCodes
{
    /// <summary>Everything asked for was done.</summary>
    public const int Success = 0;
    /// <summary>The run failed: a stream failed after retries, or input was not what was expected.</summary>
    public const int RunFailed = 1;
    /// <summary>Bad usage or configuration (options, config file, catalog, state, destination).</summary>
    public const int BadUsage = 2;
    /// <summary>Jira refused the credentials or a needed permission.</summary>
    public const int AuthFailed = 3;
    /// <summary>Jira cannot be reached: DNS, TCP or TLS.</summary>
    public const int Unreachable = 4;
}

/// <summary>Bad usage, configuration, catalog or state (exit 2).</summary>
/// <param name="message">One line naming the setting or file at fault and how to fix it.</param>
/// <param name="inner">The underlying exception, if any.</param>
public sealed class ConfigException(string message, Exception? inner = null)
    : JiraSyncException(message, ExitCodes.BadUsage, inner);

/// <summary>Jira refused the credentials or the permission (exit 3).</summary>
/// <param name="message">One line saying what was refused and which setting to check.</param>
/// <param name="inner">The underlying exception, if any.</param>
public sealed class AuthException(string message, Exception? inner = null)
    : JiraSyncException(message, ExitCodes.AuthFailed, inner);

/// <summary>Jira cannot be reached: DNS, TCP, TLS (exit 4).</summary>
/// <param name="message">One line naming the (redacted) URL and the network or TLS cause.</param>
/// <param name="inner">The underlying exception, if any.</param>
public sealed class ConnectionException(string message, Exception? inner = null)
    : JiraSyncException(message, ExitCodes.Unreachable, inner);

/// <summary>A run failed after retries, or a server/input message was not what was expected (exit 1).</summary>
/// <param name="message">One line saying what failed.</param>
/// <param name="inner">The underlying exception, if any.</param>
public sealed class RunFailedException(string message, Exception? inner = null)
    : JiraSyncException(message, ExitCodes.RunFailed, inner);
