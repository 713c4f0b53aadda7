using JiraSync.Errors;

namespace JiraSync.Config;

internal enum AuthKind
{
    /// <summary>username + password or API token, HTTP Basic (Cloud, Server/DC; with cloud_id: a scoped API token).</summary>
    Basic,
    /// <summary>Server/DC personal access token as "Authorization: Bearer" (Jira 8.14+).</summary>
    PersonalAccessToken,
    /// <summary>OAuth 2.0 (3LO) access token as "Authorization: Bearer" through the api.atlassian.com gateway.</summary>
    OAuth,
}

/// <summary>Decides which of the supported credential sets a config holds and refuses incomplete or mixed
/// ones: guessing would send a secret somewhere the user did not mean to.</summary>
internal static class AuthMode
{
    public static AuthKind Of(JiraSyncConfig c)
    {
        var basic = Has(c.Username) || Has(c.Password);
        var pat = Has(c.PersonalAccessToken);
        // tap-jira switches to OAuth when oauth_client_id is present; any of the OAuth secrets counts here.
        var oauth = Has(c.AccessToken) || Has(c.RefreshToken) || Has(c.OAuthClientId) || Has(c.OAuthClientSecret);

        var kinds = new[] { (basic, "username/password"), (pat, "personal_access_token"), (oauth, "the OAuth keys") }
            .Where(k => k.Item1).Select(k => k.Item2).ToArray();
        if (kinds.Length == 0)
            throw new ConfigException("no credentials: set \"username\" and \"password\" (an API token on Jira Cloud), or \"personal_access_token\" (Server/Data Center), or \"cloud_id\" with \"access_token\" (OAuth)");
        if (kinds.Length > 1)
            throw new ConfigException($"credentials are ambiguous: both {string.Join(" and ", kinds)} are set; keep only one way to sign in");

        if (pat) return AuthKind.PersonalAccessToken;
        if (basic)
        {
            if (!Has(c.Username)) throw new ConfigException("\"password\" is set but \"username\" is missing (the e-mail address on Jira Cloud)");
            if (!Has(c.Password)) throw new ConfigException("\"username\" is set but \"password\" is missing (an API token on Jira Cloud, or the password on Server)");
            return AuthKind.Basic;
        }
        if (!Has(c.CloudId))
            throw new ConfigException("the OAuth keys need \"cloud_id\": OAuth requests go through https://api.atlassian.com/ex/jira/{cloud_id}/");
        if (!Has(c.AccessToken))
        {
            var missing = new[] { ("refresh_token", c.RefreshToken), ("oauth_client_id", c.OAuthClientId), ("oauth_client_secret", c.OAuthClientSecret) }
                .Where(k => !Has(k.Item2)).Select(k => $"\"{k.Item1}\"").ToArray();
            if (missing.Length > 0)
                throw new ConfigException($"OAuth needs \"access_token\", or {string.Join(", ", missing)} to obtain one");
        }
        return AuthKind.OAuth;
    }

    /// <summary>True when the OAuth access token can be renewed from the refresh token (tap-jira's five keys).</summary>
    public static bool CanRefresh(JiraSyncConfig c) =>
        Has(c.RefreshToken) && Has(c.OAuthClientId) && Has(c.OAuthClientSecret);

    /// <summary>The config keys to check when Jira refuses the credentials, for the error message.</summary>
    public static string Describe(AuthKind kind) => kind switch
    {
        AuthKind.Basic => "\"username\" and \"password\" (API token on Jira Cloud)",
        AuthKind.PersonalAccessToken => "\"personal_access_token\"",
        _ => "the OAuth \"access_token\" (it expires after an hour) or \"refresh_token\"",
    };

    private static bool Has(string? s) => !string.IsNullOrWhiteSpace(s);
}
