using System.Text.Json;
using System.Text.Json.Nodes;
using JiraSync.Errors;
using JiraSync.Logging;

namespace JiraSync.Config;

/// <summary>
/// Writes a renewed OAuth refresh token back into the config file. Atlassian rotates refresh tokens: each
/// renewal retires the old one (jira-api-notes.md §"Auth"), so a tool that keeps the new one in memory only
/// locks its next run out (singer-io/tap-jira#77, what-users-ask.md A3).
/// </summary>
public static class ConfigFileUpdater
{
    /// <summary>Replaces <paramref name="key"/>'s value in the JSON file at <paramref name="path"/> atomically
    /// (temp file + rename). When the value is an ${ENV} reference the file is left alone and a warning names
    /// the variable to update. Comments in the file are not preserved. A file that cannot be written is reported as an
    /// error line on <paramref name="log"/>, not thrown: the run that renewed the token goes on.</summary>
    /// <param name="path">The config file.</param>
    /// <param name="key">The config key, e.g. "refresh_token".</param>
    /// <param name="value">The new secret; never logged.</param>
    /// <param name="log">Receives what was saved, or why not.</param>
    /// <exception cref="ConfigException">The file's JSON is not an object.</exception>
    public static void ReplaceSecret(string path, string key, string value, ILog log)
    {
        try
        {
            var root = JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions
            {
                CommentHandling = JsonCommentHandling.Skip,
                AllowTrailingCommas = true,
            }) as JsonObject ?? throw new ConfigException($"config file {path} is not a JSON object");
            var current = root[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
            if (current != null && current.Contains("${", StringComparison.Ordinal))
            {
                log.Warn($"config {path}: \"{key}\" comes from the environment ({current}); store the renewed {key} there before the next run, the old one no longer works");
                return;
            }
            root[key] = value;
            var temp = path + ".tmp-" + Environment.ProcessId;
            File.WriteAllText(temp, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            File.Move(temp, path, overwrite: true);
            log.Info($"config {path}: saved the renewed \"{key}\"");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            log.Error($"config {path}: could not save the renewed \"{key}\" ({ex.Message}); the old one no longer works, so the next run must be given a new one");
        }
    }
}
