using JiraSync.Errors;

namespace JiraSync.Loading;

/// <summary>A message the loader cannot accept (RECORD before SCHEMA, schema violation, missing key).
/// Exit 1; `jirasync target` prefixes the input line number.</summary>
public sealed class InvalidMessageException(string message) : JiraSyncException(message, ExitCodes.RunFailed);
