using JiraSync.Errors;

namespace JiraSync.Loading;

/// <summary>A message the loader cannot accept (RECORD before SCHEMA, schema violation, missing key).
/// Exit 1; `jirasync target` prefixes the input line number.</summary>
/// <param name="message">One line naming the stream and what is wrong.</param>
public class InvalidMessageException(string message) : JiraSyncException(message, ExitCodes.RunFailed);

/// <summary>A record value that a flattened column's type cannot hold: the loader widens that column to text and
/// loads the row again instead of failing.</summary>
internal sealed class ColumnMismatchException(string message, int columnIndex) : InvalidMessageException(message)
{
    /// <summary>Index into <see cref="TableSchema.Columns"/>.</summary>
    public int ColumnIndex { get; } = columnIndex;
}
