using JiraSync.Errors;

namespace JiraSync.Singer;

/// <summary>Singer input (a message line, catalog or state) that cannot be understood: bad input, exit 2.
/// The message names where (file, line) and what is wrong, in one line.</summary>
/// <param name="message">One line: source, line or key, and what is wrong.</param>
/// <param name="inner">The JSON parser's exception, if any.</param>
public sealed class SingerFormatException(string message, Exception? inner = null)
    : JiraSyncException(message, ExitCodes.BadUsage, inner);
