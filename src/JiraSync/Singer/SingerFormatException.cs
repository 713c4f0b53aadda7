using JiraSync.Errors;

namespace JiraSync.Singer;

/// <summary>Singer input (a message line, catalog or state) that cannot be understood: bad input, exit 2.
/// The message names where (file, line) and what is wrong, in one line.</summary>
public sealed class SingerFormatException(string message, Exception? inner = null)
    : JiraSyncException(message, ExitCodes.BadUsage, inner);
