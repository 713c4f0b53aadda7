using System.Text;
using System.Text.Json.Nodes;
using JiraSync.Config;

namespace JiraSync.Streams;

/// <summary>
/// `jirasync tap --about`: what the Meltano Singer SDK's <c>--about</c> prints (name, description, version,
/// capabilities, settings as a JSON Schema whose secret properties carry <c>"secret": true</c> and
/// <c>"writeOnly": true</c>), as JSON or Markdown, and the <c>meltano.yml</c> custom-extractor entry. Settings come from
/// <see cref="ConfigSettings.All"/>, the config loader's own definition.
/// </summary>
public static class TapAbout
{
    internal const string Name = "tap-jirasync";
    internal const string Description = "Jira (Cloud and Server/Data Center) as a Singer tap, a drop-in for singer-io tap-jira";

    /// <summary>Meltano capability names (meltano/sdk singer_sdk/helpers/capabilities.py) this tap honours.</summary>
    internal static readonly IReadOnlyList<string> Capabilities = ["catalog", "discover", "state", "about", "test"];

    /// <summary>The <c>--about --format json</c> document: name, description, version, capabilities and a JSON Schema
    /// of the settings (meltano/sdk's about format, https://sdk.meltano.com/en/latest/cli_commands.html).</summary>
    /// <param name="version">The tool's version, e.g. "1.0.0".</param>
    public static JsonObject Json(string version)
    {
        var properties = new JsonObject();
        foreach (var s in ConfigSettings.All)
        {
            var p = new JsonObject { ["type"] = JsonType(s) };
            if (s.Type == SettingType.List) p["items"] = new JsonObject { ["type"] = "string" };
            if (s.Type == SettingType.Url) p["format"] = "uri";
            if (s.Type == SettingType.DateTime) p["format"] = "date-time";
            if (s.Type == SettingType.Integer) { p["minimum"] = s.Min; p["maximum"] = s.Max; }
            p["description"] = s.Description;
            if (s.Default is { } d) p["default"] = s.Type == SettingType.Integer || s.Type == SettingType.Seconds ? int.Parse(d) : d;
            if (s.IsSecret) { p["secret"] = true; p["writeOnly"] = true; }
            properties[s.Name] = p;
        }
        return new JsonObject
        {
            ["name"] = Name,
            ["description"] = Description,
            ["version"] = version,
            ["capabilities"] = new JsonArray([.. Capabilities.Select(c => JsonValue.Create(c))]),
            ["settings"] = new JsonObject { ["type"] = "object", ["properties"] = properties },
        };
    }

    /// <summary>The <c>--about --format markdown</c> text: capabilities and a table of the settings.</summary>
    /// <param name="version">The tool's version, e.g. "1.0.0".</param>
    public static string Markdown(string version)
    {
        var sb = new StringBuilder();
        sb.Append($"# `{Name}`\n\n{Description}.\n\nVersion {version}.\n\n## Capabilities\n\n");
        foreach (var c in Capabilities) sb.Append($"* `{c}`\n");
        sb.Append("\n## Settings\n\n| Setting | Type | Secret | Default | Description |\n|:--------|:-----|:------:|:--------|:------------|\n");
        foreach (var s in ConfigSettings.All)
            sb.Append($"| {s.Name} | {JsonType(s)} | {(s.IsSecret ? "yes" : "")} | {s.Default} | {s.Description.Replace("|", "\\|")} |\n");
        sb.Append("\nA full list of settings and capabilities: `jirasync tap --about --format json`.\n");
        return sb.ToString();
    }

    /// <summary>The plugin entry for a Meltano project's <c>meltano.yml</c> (<c>plugins: extractors:</c>), with every
    /// setting and its Meltano kind; secrets are <c>kind: password</c> so Meltano keeps them out of the YAML.</summary>
    public static string MeltanoYaml()
    {
        var sb = new StringBuilder();
        sb.Append($"- name: {Name}\n  namespace: tap_jirasync\n  executable: {Name}\n  capabilities:\n");
        foreach (var c in Capabilities) sb.Append($"  - {c}\n");
        sb.Append("  settings:\n");
        foreach (var s in ConfigSettings.All)
        {
            sb.Append($"  - name: {s.Name}\n    kind: {MeltanoKind(s)}\n");
            if (s.IsSecret) sb.Append("    sensitive: true\n");
        }
        return sb.ToString();
    }

    private static string JsonType(ConfigSetting s) => s.Type switch
    {
        SettingType.Integer => "integer",
        SettingType.Seconds => "number",
        SettingType.List => "array",
        _ => "string",
    };

    /// <summary>Meltano's setting kinds (docs.meltano.com, "settings" in the plugin definition).</summary>
    private static string MeltanoKind(ConfigSetting s) => s.Type switch
    {
        SettingType.Secret => "password",
        SettingType.Integer or SettingType.Seconds => "integer",
        SettingType.List => "array",
        SettingType.DateTime => "date_iso8601",
        _ => "string",
    };
}
