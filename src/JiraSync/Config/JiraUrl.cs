using JiraSync.Errors;

namespace JiraSync.Config;

/// <summary>The rules for Jira addresses: https only, a bare host gets https://, a trailing slash so
/// relative request paths resolve under it, no credentials inside the URL.</summary>
internal static class JiraUrl
{
    /// <summary>Atlassian's API gateway for OAuth 2.0 (3LO) and scoped API tokens.</summary>
    public const string GatewayRoot = "https://api.atlassian.com/ex/jira/";

    /// <summary>The normalized base URL: https, trailing slash.</summary>
    /// <param name="raw">The address as the user wrote it: a URL or a bare host.</param>
    /// <param name="what">Names the setting in error messages, e.g. <c>config.json: "base_url"</c>.</param>
    public static Uri Normalize(string raw, string what = "\"base_url\"")
    {
        var text = raw.Trim();
        if (text.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            throw new ConfigException($"{what} is {Shown(text)}: JiraSync only connects over https:// because plain HTTP would expose credentials and data on the network; use https://");
        if (!text.Contains("://", StringComparison.Ordinal)) text = "https://" + text;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
            throw new ConfigException($"{what} is not a valid address: \"{Shown(raw.Trim())}\"");
        if (uri.Scheme != Uri.UriSchemeHttps)
            throw new ConfigException($"{what} must be an https:// address, not {uri.Scheme}://");
        if (!string.IsNullOrEmpty(uri.UserInfo))
            throw new ConfigException($"{what} must not contain a user name or password; use the \"username\" and \"password\" keys");
        if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
            throw new ConfigException($"{what} must be the plain Jira address without ?query or #fragment, e.g. https://your-domain.atlassian.net");
        var builder = new UriBuilder(uri);
        if (!builder.Path.EndsWith('/')) builder.Path += "/";
        return builder.Uri;
    }

    public static Uri AtlassianGateway(string cloudId, string what = "\"cloud_id\"")
    {
        var id = cloudId.Trim();
        if (id.Length == 0 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            throw new ConfigException($"{what} must be the site's cloud id (letters, digits and dashes), got \"{id}\"");
        return new Uri(GatewayRoot + id + "/");
    }

    /// <summary>A URL for messages and logs: scheme, host, port, path and query, never user info.</summary>
    public static string Display(Uri uri) =>
        uri.IsAbsoluteUri ? uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.PathAndQuery, UriFormat.UriEscaped) : uri.ToString();

    // An address the user typed may carry user:password@; never echo that part back.
    private static string Shown(string text)
    {
        var at = text.IndexOf('@');
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        return at > 0 && (scheme < 0 || at > scheme) ? text[..(scheme < 0 ? 0 : scheme + 3)] + "***@" + text[(at + 1)..] : text;
    }
}
