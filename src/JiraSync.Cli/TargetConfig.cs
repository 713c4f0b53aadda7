using System.Text.Json;
using System.Text.Json.Nodes;
using JiraSync.Errors;

namespace JiraSync.Cli;

/// <summary>The optional target config file (Singer targets take one with --config): "destination" and "batch_rows".</summary>
public sealed record TargetConfig(string? Destination, int? BatchRows)
{
    public static TargetConfig Load(string? path)
    {
        if (path is null) return new TargetConfig(null, null);
        JsonObject json;
        try
        {
            json = JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                   ?? throw new ConfigException($"target config {path} is not a JSON object");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"cannot read target config {path}: {e.Message}");
        }
        catch (JsonException)
        {
            throw new ConfigException($"target config {path} is not valid JSON");
        }
        try
        {
            return new TargetConfig(json["destination"]?.GetValue<string>(), json["batch_rows"]?.GetValue<int>());
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new ConfigException($"target config {path}: \"destination\" must be a string and \"batch_rows\" an integer");
        }
    }
}
