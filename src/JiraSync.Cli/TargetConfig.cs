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
            json = JsonNode.Parse(UserFile.ReadAllText(path, "target config")) as JsonObject
                   ?? throw new ConfigException($"target config {path} is not a JSON object");
        }
        catch (JsonException)
        {
            throw new ConfigException($"target config {path} is not valid JSON");
        }
        try
        {
            var rows = json["batch_rows"]?.GetValue<int>();
            if (rows is < 1) throw new ConfigException($"target config {path}: \"batch_rows\" must be at least 1 (rows per committed batch)");
            return new TargetConfig(json["destination"]?.GetValue<string>(), rows);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new ConfigException($"target config {path}: \"destination\" must be a string and \"batch_rows\" an integer");
        }
    }
}
