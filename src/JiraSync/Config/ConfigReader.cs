using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using JiraSync.Errors;

namespace JiraSync.Config;

/// <summary>
/// Typed access to the keys of a config object, with ${NAME} environment substitution in every string
/// and error messages that name the source and the key. Lenient where tap-jira is (numbers may be
/// strings, "" means "not set"), strict where a silent guess would hide a mistake.
/// </summary>
internal sealed partial class ConfigReader(JsonElement root, string source, Func<string, string?> environment)
{
    public string Source { get; } = source;

    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex EnvReference();

    /// <summary>A string value (null when absent, null or blank), trimmed, with ${NAME} replaced from the environment.</summary>
    public string? String(string key) => Raw(key)?.Trim() is { Length: > 0 } text ? text : null;

    /// <summary>A password or token: like <see cref="String"/> but never trimmed, since a secret is used exactly as given.</summary>
    public string? Secret(string key) => Raw(key) is { } text && !string.IsNullOrWhiteSpace(text) ? text : null;

    private string? Raw(string key)
    {
        if (!root.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.String)
            throw Error(key, $"must be a string, not {ConfigLoader.Describe(value.ValueKind)}");
        return Substitute(key, value.GetString()!);
    }

    /// <summary>A list given as a JSON array of strings or as one comma-separated string (tap-jira's "groups").</summary>
    public IReadOnlyList<string> List(string key)
    {
        if (!root.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null) return [];
        IEnumerable<string> items = value.ValueKind switch
        {
            JsonValueKind.String => Substitute(key, value.GetString()!).Split(','),
            JsonValueKind.Array => value.EnumerateArray().Select((item, i) => item.ValueKind == JsonValueKind.String
                ? Substitute(key, item.GetString()!)
                : throw Error(key, $"must list strings, but item {i + 1} is {ConfigLoader.Describe(item.ValueKind)}")),
            _ => throw Error(key, $"must be an array of strings or a comma-separated string, not {ConfigLoader.Describe(value.ValueKind)}"),
        };
        return items.Select(s => s.Trim()).Where(s => s.Length > 0).Distinct().ToArray();
    }

    /// <summary>A whole number given as a JSON number or a numeric string; absent/blank is null.</summary>
    public int? Integer(string key, int min, int max)
    {
        var text = NumberText(key);
        if (text == null) return null;
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
            throw Error(key, $"must be a whole number, got \"{text}\"");
        if (n < min || n > max)
            throw Error(key, $"must be between {min} and {max}, got {n}");
        return (int)n;
    }

    /// <summary>An <see cref="SettingType.Integer"/> setting within its declared range.</summary>
    public int? Integer(ConfigSetting setting) => Integer(setting.Name, setting.Min, setting.Max);

    /// <summary>A duration in seconds (number or string, fractions allowed). As in tap-jira, 0 or "" means
    /// "use the default".</summary>
    public TimeSpan? Seconds(string key)
    {
        var text = NumberText(key);
        if (text == null) return null;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || double.IsNaN(seconds) || double.IsInfinity(seconds))
            throw Error(key, $"must be a number of seconds, got \"{text}\"");
        if (seconds < 0 || seconds > 24 * 3600)
            throw Error(key, $"must be between 0 and 86400 seconds, got {text}");
        return seconds == 0 ? null : TimeSpan.FromSeconds(seconds);
    }

    /// <summary>An ISO 8601 date ("2024-01-15", read as midnight UTC) or date-time ("2024-01-15T10:20:30Z",
    /// "2024-01-15T10:20:30.123+0000"); a date-time without an offset is read as UTC, as Singer taps do.</summary>
    public DateTimeOffset? Date(string key)
    {
        var text = String(key);
        if (text == null) return null;
        if (Singer.SingerTime.TryParseIso(text, out var date)) return date;
        throw Error(key, $"must be an ISO 8601 date or date-time such as \"2024-01-15\" or \"2024-01-15T00:00:00Z\", got \"{text}\"");
    }

    private string? NumberText(string key)
    {
        if (!root.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        var text = value.ValueKind switch
        {
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.String => Substitute(key, value.GetString()!).Trim(),
            _ => throw Error(key, $"must be a number, not {ConfigLoader.Describe(value.ValueKind)}"),
        };
        return text.Length == 0 ? null : text;
    }

    private string Substitute(string key, string text) => EnvReference().Replace(text, match =>
    {
        var name = match.Groups[1].Value;
        return environment(name) ?? throw Error(key, $"refers to environment variable {name}, which is not set");
    });

    private ConfigException Error(string key, string problem) => new($"{Source}: \"{key}\" {problem}");
}
