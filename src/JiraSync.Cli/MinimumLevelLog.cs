using JiraSync.Logging;

namespace JiraSync.Cli;

/// <summary>Passes on only lines at or above a level.</summary>
public sealed class MinimumLevelLog(ILog inner, LogLevel minimum) : ILog
{
    public void Write(LogLevel level, string message)
    {
        if (level >= minimum) inner.Write(level, message);
    }
}
