using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using JiraSync.Config;

namespace JiraSync.Runs;

/// <summary>
/// A short hash of the settings that decide what a run extracts (site, user, start date, projects, groups, paging,
/// look-back) and of the selected catalog, so two runs can be compared ("did the config change between these?")
/// without storing the config. Secrets are never part of it: a rotated API token does not change the fingerprint.
/// </summary>
internal static class ConfigFingerprint
{
    public static string Of(JiraSyncConfig config, string? catalogJson = null)
    {
        var shape = new JsonObject
        {
            ["base_url"] = config.BaseUrl.ToString(),
            ["username"] = config.Username,
            ["cloud_id"] = config.CloudId,
            ["auth"] = config.PersonalAccessToken is not null ? "pat" : config.AccessToken is not null ? "oauth" : "basic",
            ["start_date"] = config.StartDate.UtcDateTime.ToString("O"),
            ["projects"] = new JsonArray(config.Projects.Order(StringComparer.Ordinal).Select(p => (JsonNode?)p).ToArray()),
            ["groups"] = new JsonArray(config.Groups.Order(StringComparer.Ordinal).Select(g => (JsonNode?)g).ToArray()),
            ["lookback_minutes"] = config.LookbackMinutes,
            ["page_size"] = config.PageSize,
            ["catalog"] = catalogJson is null ? null : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(catalogJson))),
        };
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(shape.ToJsonString()));
        return "sha256:" + Convert.ToHexStringLower(hash)[..16];
    }
}
