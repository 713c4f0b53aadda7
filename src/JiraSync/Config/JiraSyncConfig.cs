namespace JiraSync.Config;

/// <summary>
/// The config file's contents, a superset of singer-io tap-jira's keys (DESIGN.md, "Config").
/// Built by <c>ConfigLoader</c> from JSON (with ${ENV} substitution) or directly by tests.
/// </summary>
public sealed record JiraSyncConfig
{
    /// <summary>Always https; a bare host has been given https:// and an http:// URL refused.</summary>
    public required Uri BaseUrl { get; init; }
    /// <summary>Email address (Cloud) or user name (Server/DC) for basic auth, with <see cref="Password"/>.</summary>
    public string? Username { get; init; }
    /// <summary>API token (Cloud) or password (Server/DC). Secret.</summary>
    public string? Password { get; init; }
    /// <summary>Server/DC personal access token, sent as a bearer token. Secret.</summary>
    public string? PersonalAccessToken { get; init; }
    /// <summary>OAuth 2.0 (3LO) keys as tap-jira reads them. Secrets except CloudId and ClientId.</summary>
    public string? CloudId { get; init; }
    /// <summary>OAuth 2.0 access token, sent as a bearer token to the API gateway. Secret.</summary>
    public string? AccessToken { get; init; }
    /// <summary>OAuth 2.0 refresh token, exchanged at https://auth.atlassian.com/oauth/token when the access token
    /// is refused; Atlassian rotates it, and the new one is written back to the config file. Secret.</summary>
    public string? RefreshToken { get; init; }
    /// <summary>OAuth 2.0 client id of the app that issued the tokens.</summary>
    public string? OAuthClientId { get; init; }
    /// <summary>OAuth 2.0 client secret, needed to refresh. Secret.</summary>
    public string? OAuthClientSecret { get; init; }

    /// <summary>Start of the historical sync. Default: one year before now.</summary>
    public DateTimeOffset StartDate { get; init; } = DateTimeOffset.UtcNow.AddYears(-1);
    /// <summary>User-Agent header of every request.</summary>
    public string UserAgent { get; init; } = "JiraSync/1.0";
    /// <summary>How long one request may take before it counts as failed (config: seconds). Default 300 s.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(300);
    /// <summary>Group names whose members are extracted through group/member (tap-jira's "groups").</summary>
    public IReadOnlyList<string> Groups { get; init; } = [];
    /// <summary>PEM file of an extra trusted root certificate.</summary>
    public string? CaCert { get; init; }
    /// <summary>Project keys to limit extraction to; empty means every visible project.</summary>
    public IReadOnlyList<string> Projects { get; init; } = [];
    /// <summary>Minutes re-read before each incremental bookmark, for updates Jira indexes late; 0 to 10080.</summary>
    public int LookbackMinutes { get; init; } = 15;
    /// <summary>Most requests in flight at once (1 to 64); lowered while Jira answers 429.</summary>
    public int MaxConcurrency { get; init; } = 8;
    /// <summary>Units of extraction (streams, or the issue sweep) run at the same time; 1 runs them one after another.
    /// Their requests all wait for the one gate of <see cref="MaxConcurrency"/>.</summary>
    public int MaxParallelStreams { get; init; } = 4;
    /// <summary>Page size (maxResults) asked of Jira, 1 to 5000; Jira caps it silently per endpoint.</summary>
    public int PageSize { get; init; } = 100;
    /// <summary>Destination URI from the config file, used when --destination is not given.</summary>
    public string? Destination { get; init; }
    /// <summary>The share of the site this process syncs (<c>sync --partition i/n</c>); null: the whole site.</summary>
    public ProjectPartition? Partition { get; init; }

    /// <summary>True when the project with this key is this run's to sync: among the configured <see cref="Projects"/>
    /// (all when none is set) and in this process's <see cref="Partition"/> (all when none is set).</summary>
    public bool InScope(string projectKey) => InSite(projectKey) && (Partition?.Owns(projectKey) ?? true);

    /// <summary>True when the project with this key is among the configured <see cref="Projects"/> (all when none is
    /// set), whichever partition syncs it.</summary>
    public bool InSite(string projectKey) => Projects.Count == 0 || Projects.Contains(projectKey, StringComparer.OrdinalIgnoreCase);

    /// <summary>Every secret value present, for redaction of log lines and messages, including the
    /// base64 "username:password" an Authorization: Basic header would carry.</summary>
    public IEnumerable<string> Secrets()
    {
        var basic = string.IsNullOrEmpty(Password) ? null
            : Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{Username}:{Password}"));
        return new[] { Password, PersonalAccessToken, AccessToken, RefreshToken, OAuthClientSecret, basic, DestinationPassword(Destination) }
            .Where(s => !string.IsNullOrEmpty(s))!;
    }

    /// <summary>The password inside a destination such as postgres://user:secret@host/db or
    /// "Host=h;Password=secret", so that it is redacted like the Jira secrets.</summary>
    private static string? DestinationPassword(string? destination)
    {
        if (string.IsNullOrEmpty(destination)) return null;
        var keyword = System.Text.RegularExpressions.Regex.Match(destination, @"(?:^|[;\s])(?:password|pwd)\s*=\s*('[^']*'|[^;\s]*)",
            System.Text.RegularExpressions.RegexOptions.IgnoreCase);
        if (keyword.Success) return keyword.Groups[1].Value.Trim('\'');
        if (Uri.TryCreate(destination, UriKind.Absolute, out var uri) && uri.UserInfo.IndexOf(':') is var colon and >= 0)
            return Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
        return null;
    }
}
