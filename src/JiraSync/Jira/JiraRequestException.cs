using JiraSync.Errors;

namespace JiraSync.Jira;

/// <summary>Jira answered with an error status or a body that is not the JSON expected.
/// The message names the (redacted) URL and the status, never a secret.</summary>
/// <param name="message">One line with the redacted URL, the status and Jira's own error text.</param>
/// <param name="statusCode">The HTTP status, or null.</param>
/// <param name="exitCode">One of <see cref="ExitCodes"/>; a run failure by default.</param>
/// <param name="inner">The underlying exception, if any.</param>
public class JiraRequestException(string message, int? statusCode, int exitCode = ExitCodes.RunFailed, Exception? inner = null)
    : JiraSyncException(message, exitCode, inner)
{
    /// <summary>The HTTP status Jira answered, or null when no answer applies (a refused redirect, a body that is not JSON
    /// after a 200 keeps 200).</summary>
    public int? StatusCode { get; } = statusCode;
}

/// <summary>401: credentials refused (exit 3).</summary>
/// <param name="message">One line naming the refused credentials and what to check.</param>
public sealed class JiraUnauthorizedException(string message) : JiraRequestException(message, 401, ExitCodes.AuthFailed);

/// <summary>403: authenticated but not permitted (exit 3 when it stops a run; streams may skip the resource).</summary>
/// <param name="message">One line naming the endpoint and the Jira permission it needs.</param>
public sealed class JiraForbiddenException(string message) : JiraRequestException(message, 403, ExitCodes.AuthFailed);

/// <summary>404: the resource does not exist or the user may not see it (Jira does not tell which).</summary>
/// <param name="message">One line naming the endpoint.</param>
public sealed class JiraNotFoundException(string message) : JiraRequestException(message, 404);

/// <summary>A server error that states a fixed limit (Data Center's "Search limit exceeded … exceeded the search
/// platform limit of 10,000"): asking again gives the same answer, so it is not retried; callers narrow the request.</summary>
/// <param name="message">One line with Jira's text.</param>
/// <param name="statusCode">The 5xx status it came with.</param>
public sealed class JiraLimitExceededException(string message, int? statusCode) : JiraRequestException(message, statusCode);
