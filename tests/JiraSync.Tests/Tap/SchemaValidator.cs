using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace JiraSync.Tests.Tap;

/// <summary>
/// Checks a record against its stream's SCHEMA with JsonSchema.Net (a maintained JSON Schema implementation, not the
/// loader's own RecordValidator), formats included: a "date-time" must be RFC 3339, as Singer targets require. Singer schemas are
/// draft 4 in style; they are read as draft 7, the nearest dialect the library has, which ignores our x- keywords.
/// Returns the problems, each with the stream, the record's JSON pointer and the library's message.
/// </summary>
public static class SchemaValidator
{
    // Built once per SCHEMA message: the issues schema declares every Jira field.
    private static readonly ConditionalWeakTable<JsonObject, JsonSchema> Built = new();

    private static readonly EvaluationOptions Options = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true };

    public static List<string> Validate(JsonNode? value, JsonObject schema, string path = "$")
    {
        var built = Built.GetValue(schema, s =>
            JsonSchema.FromText(s.ToJsonString(), new BuildOptions { SchemaRegistry = new SchemaRegistry(), Dialect = Dialect.Draft07 }, new Uri($"https://jirasync.invalid/{Guid.NewGuid():N}")));
        using var instance = JsonDocument.Parse(value?.ToJsonString() ?? "null");
        var result = built.Evaluate(instance.RootElement, Options);
        if (result.IsValid) return [];
        return (result.Details ?? [result])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{path}{d.InstanceLocation}: {e.Key}: {e.Value}"))
            .ToList();
    }
}
