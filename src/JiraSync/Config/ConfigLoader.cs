using System.Text.Json;
using JiraSync.Errors;
using JiraSync.Logging;

namespace JiraSync.Config;

/// <summary>
/// Reads the JSON config file (tap-jira's keys plus ours, DESIGN.md "Config") into a
/// <see cref="JiraSyncConfig"/>. Every problem becomes one <see cref="ConfigException"/> line that
/// names the file and the key, so a user can fix it without reading code.
/// </summary>
public static class ConfigLoader
{
    private static readonly JsonDocumentOptions JsonOptions = new()
    {
        // Hand-edited config files often carry comments or a trailing comma; neither hides a mistake.
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>The earliest start_date used; earlier ones (0001-01-01: "everything") are read as this.</summary>
    internal static readonly DateTimeOffset UnixEpoch = DateTimeOffset.UnixEpoch;

    /// <summary>Every key the config may hold: the names of <see cref="ConfigSettings.All"/>.</summary>
    internal static readonly IReadOnlySet<string> KnownKeys = ConfigSettings.All.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);

    /// <summary>Reads and validates the config file at <paramref name="path"/>. Keys JiraSync does not know
    /// are ignored (other tools' configs carry their own), with a warning on <paramref name="log"/> because a
    /// misspelt key would otherwise silently fall back to its default.</summary>
    /// <param name="path">The JSON config file (tap-jira's keys and ours; DESIGN.md "Config").</param>
    /// <param name="environment">Resolves ${NAME} references; the process environment when null.</param>
    /// <param name="log">Receives warnings about unknown keys; none when null.</param>
    /// <exception cref="ConfigException">The file cannot be read, is not JSON, lacks a required key, has a value of the
    /// wrong type or range, or names an unset environment variable (exit 2).</exception>
    public static JiraSyncConfig Load(string path, Func<string, string?>? environment = null, ILog? log = null)
    {
        var text = UserFile.ReadAllText(path, "config file");
        return Parse(text, path, environment, Path.GetDirectoryName(Path.GetFullPath(path)), log);
    }

    /// <summary>Parses config JSON text. <paramref name="source"/> names it in error messages (a file path or
    /// "config"); relative file paths in it (ca_cert) are resolved against <paramref name="baseDirectory"/>.
    /// Tests use this (or build <see cref="JiraSyncConfig"/> directly). Unknown keys are warned about on
    /// <paramref name="log"/>, as in <see cref="Load"/>.</summary>
    internal static JiraSyncConfig Parse(string json, string source = "config", Func<string, string?>? environment = null,
        string? baseDirectory = null, ILog? log = null)
    {
        JsonDocument document;
        if (string.IsNullOrWhiteSpace(json)) throw new ConfigException($"config file {source}: the file is empty");
        try
        {
            document = JsonDocument.Parse(json, JsonOptions);
        }
        catch (JsonException ex)
        {
            // LineNumber and BytePositionInLine are zero-based; people count from one.
            var where = ex.LineNumber is { } line ? $"line {line + 1}, position {(ex.BytePositionInLine ?? 0) + 1}" : "unknown position";
            throw new ConfigException($"config file {source} is not valid JSON ({where}): {JsonErrorText.Reason(ex)}", ex);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new ConfigException($"config file {source} must hold a JSON object ({{ \"base_url\": ..., ... }}), not {Describe(document.RootElement.ValueKind)}");
            var reader = new ConfigReader(document.RootElement, source, environment ?? Environment.GetEnvironmentVariable);
            var config = Build(reader, baseDirectory);
            Redactor.Process.Add(config.Secrets());
            if (log != null)
                foreach (var property in document.RootElement.EnumerateObject())
                    if (!KnownKeys.Contains(property.Name))
                        log.Warn($"config {source}: unknown key \"{property.Name}\" is ignored");
            return config;
        }
    }

    private static JiraSyncConfig Build(ConfigReader r, string? baseDirectory)
    {
        var cloudId = r.String("cloud_id");
        var config = new JiraSyncConfig
        {
            BaseUrl = ResolveBaseUrl(r, cloudId),
            Username = r.String("username"),
            Password = r.Secret("password"),
            PersonalAccessToken = r.Secret("personal_access_token"),
            CloudId = cloudId,
            AccessToken = r.Secret("access_token"),
            RefreshToken = r.Secret("refresh_token"),
            OAuthClientId = r.String("oauth_client_id"),
            OAuthClientSecret = r.Secret("oauth_client_secret"),
            Groups = r.List("groups"),
            Projects = r.List("projects"),
            CaCert = ResolvePath(r.String("ca_cert"), baseDirectory),
            Destination = r.String("destination"),
        };
        if (r.String("user_agent") is { } userAgent) config = config with { UserAgent = userAgent };
        if (r.Date("start_date") is { } start)
        {
            // Nothing is updated after a future date yet: such a run would extract nothing and say nothing.
            if (start > DateTimeOffset.UtcNow.AddDays(1))
                throw new ConfigException($"{r.Source}: \"start_date\" {start:yyyy-MM-dd} is in the future, so nothing would be extracted; use a past date such as \"2020-01-01\"");
            // Jira keeps times as Unix milliseconds and has nothing earlier; 0001-01-01 means "from the beginning".
            config = config with { StartDate = start < UnixEpoch ? UnixEpoch : start };
        }
        if (r.Seconds("request_timeout") is { } timeout) config = config with { RequestTimeout = timeout };
        if (r.Integer(ConfigSettings.LookbackMinutes) is { } lookback) config = config with { LookbackMinutes = lookback };
        if (r.Integer(ConfigSettings.MaxConcurrency) is { } concurrency) config = config with { MaxConcurrency = concurrency };
        if (r.Integer(ConfigSettings.MaxParallelStreams) is { } parallel) config = config with { MaxParallelStreams = parallel };
        if (r.Integer(ConfigSettings.PageSize) is { } pageSize) config = config with { PageSize = pageSize };

        try
        {
            AuthMode.Of(config);
        }
        catch (ConfigException ex)
        {
            throw new ConfigException($"{r.Source}: {ex.Message}", ex);
        }
        return config;
    }

    /// <summary>With OAuth or a scoped API token (cloud_id given), requests go through Atlassian's gateway
    /// https://api.atlassian.com/ex/jira/{cloud_id}/ (jira-api-notes.md §"Auth": scoped tokens and 3LO work only
    /// there), so base_url may be left out. Otherwise base_url is required and must be https.</summary>
    private static Uri ResolveBaseUrl(ConfigReader r, string? cloudId)
    {
        var raw = r.String("base_url");
        if (!string.IsNullOrWhiteSpace(cloudId))
        {
            if (raw != null) JiraUrl.Normalize(raw, $"{r.Source}: \"base_url\""); // still refuse http:// and nonsense
            return JiraUrl.AtlassianGateway(cloudId, $"{r.Source}: \"cloud_id\"");
        }
        if (string.IsNullOrWhiteSpace(raw))
            throw new ConfigException($"{r.Source}: \"base_url\" is missing; set it to your Jira address, e.g. \"https://your-domain.atlassian.net\"");
        return JiraUrl.Normalize(raw, $"{r.Source}: \"base_url\"");
    }

    private static string? ResolvePath(string? path, string? baseDirectory)
    {
        if (string.IsNullOrWhiteSpace(path)) return null;
        if (Path.IsPathRooted(path) || baseDirectory == null) return path;
        return Path.GetFullPath(Path.Combine(baseDirectory, path));
    }

    internal static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "an object",
    };
}
