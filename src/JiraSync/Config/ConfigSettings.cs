namespace JiraSync.Config;

/// <summary>The kind of value a config key takes, as the loader reads it (<see cref="ConfigReader"/>).</summary>
internal enum SettingType
{
    /// <summary>Text.</summary>
    String,
    /// <summary>Text that is a credential: never logged, redacted from every message.</summary>
    Secret,
    /// <summary>An https:// address (a bare host gets https://).</summary>
    Url,
    /// <summary>An ISO 8601 date or date-time.</summary>
    DateTime,
    /// <summary>A whole number (JSON number or numeric string) within <see cref="ConfigSetting.Min"/>..<see cref="ConfigSetting.Max"/>.</summary>
    Integer,
    /// <summary>A number of seconds (JSON number or numeric string; 0 means the default).</summary>
    Seconds,
    /// <summary>A JSON array of strings or one comma-separated string.</summary>
    List,
    /// <summary>A file path, relative to the config file.</summary>
    File,
}

/// <summary>One key of the config file: its name (tap-jira's where it has one), type, meaning and default.</summary>
internal sealed record ConfigSetting(string Name, SettingType Type, string Description)
{
    /// <summary>The default as a user would write it, or null when there is none or it is not a constant (the description says).</summary>
    public string? Default { get; init; }
    public int Min { get; init; } = int.MinValue;
    public int Max { get; init; } = int.MaxValue;
    /// <summary>Credentials: <see cref="SettingType.Secret"/>.</summary>
    public bool IsSecret => Type == SettingType.Secret;
}

/// <summary>
/// The one definition of the config file's keys (DESIGN.md "Config"): <see cref="ConfigLoader"/> reads these names
/// and ranges, warns about any other key, and `jirasync tap --about` lists them as the tap's settings. A new key
/// is added here first.
/// </summary>
internal static class ConfigSettings
{
    public static readonly ConfigSetting BaseUrl = new("base_url", SettingType.Url, "Jira address, e.g. https://your-domain.atlassian.net (https only; may be left out with cloud_id)");
    public static readonly ConfigSetting Username = new("username", SettingType.String, "Basic auth user: the e-mail on Jira Cloud, the user name on Server/Data Center");
    public static readonly ConfigSetting Password = new("password", SettingType.Secret, "Basic auth secret: an API token on Jira Cloud, the password or a token on Server/Data Center");
    public static readonly ConfigSetting PersonalAccessToken = new("personal_access_token", SettingType.Secret, "Server/Data Center personal access token, sent as a bearer token");
    public static readonly ConfigSetting CloudId = new("cloud_id", SettingType.String, "Jira Cloud site id: requests go through https://api.atlassian.com/ex/jira/{cloud_id}/ (OAuth 2.0 or a scoped API token)");
    public static readonly ConfigSetting AccessToken = new("access_token", SettingType.Secret, "OAuth 2.0 (3LO) access token");
    public static readonly ConfigSetting RefreshToken = new("refresh_token", SettingType.Secret, "OAuth 2.0 refresh token; renews the access token, and the rotated one is written back into the config file");
    public static readonly ConfigSetting OAuthClientId = new("oauth_client_id", SettingType.String, "OAuth 2.0 client id");
    public static readonly ConfigSetting OAuthClientSecret = new("oauth_client_secret", SettingType.Secret, "OAuth 2.0 client secret");
    public static readonly ConfigSetting StartDate = new("start_date", SettingType.DateTime, "Where the first sync starts (ISO 8601 date or date-time); default one year before the run");
    public static readonly ConfigSetting UserAgent = new("user_agent", SettingType.String, "User-Agent header of every request") { Default = "JiraSync/1.0" };
    public static readonly ConfigSetting RequestTimeout = new("request_timeout", SettingType.Seconds, "Seconds to wait for one answer from Jira") { Default = "300" };
    public static readonly ConfigSetting Groups = new("groups", SettingType.List, "Groups whose members make the users stream");
    public static readonly ConfigSetting CaCert = new("ca_cert", SettingType.File, "PEM file of an extra trusted root CA (self-managed Jira with an internal CA), relative to the config file");
    public static readonly ConfigSetting Projects = new("projects", SettingType.List, "Project keys to limit extraction to; default every visible project");
    public static readonly ConfigSetting LookbackMinutes = new("lookback_minutes", SettingType.Integer, "Minutes re-read before the bookmark on each incremental run") { Default = "15", Min = 0, Max = 7 * 24 * 60 };
    public static readonly ConfigSetting MaxConcurrency = new("max_concurrency", SettingType.Integer, "Requests in flight at once") { Default = "8", Min = 1, Max = 64 };
    /// <summary>max_parallel_streams: stream units (a metadata stream, users, the issue sweep, the worklog feed) run at
    /// once, 1 to 32, default 4; their requests share the one gate of <see cref="MaxConcurrency"/>.</summary>
    public static readonly ConfigSetting MaxParallelStreams = new("max_parallel_streams", SettingType.Integer, "Streams extracted at the same time (their requests share max_concurrency); 1 runs them one after another") { Default = "4", Min = 1, Max = 32 };
    public static readonly ConfigSetting PageSize = new("page_size", SettingType.Integer, "Page size asked of Jira (Jira caps it silently)") { Default = "100", Min = 1, Max = 5000 };
    public static readonly ConfigSetting Destination = new("destination", SettingType.String, "Destination URI for sync, runs and query when --destination is not given (a PostgreSQL password in it is redacted like a secret)") { Default = "duckdb:jirasync.duckdb" };

    /// <summary>Every key, in the order the README's table and `tap --about` list them.</summary>
    public static readonly IReadOnlyList<ConfigSetting> All =
    [
        BaseUrl, Username, Password, PersonalAccessToken, CloudId, AccessToken, RefreshToken, OAuthClientId, OAuthClientSecret,
        StartDate, UserAgent, RequestTimeout, Groups, CaCert, Projects, LookbackMinutes, MaxConcurrency, MaxParallelStreams, PageSize, Destination,
    ];
}
