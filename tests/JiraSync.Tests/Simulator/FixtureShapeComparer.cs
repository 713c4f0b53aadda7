using System.Text.Json;

namespace JiraSync.Tests.Simulator;

/// <summary>Compares a captured real Jira object with the simulator's objects of the same kind: every
/// key of the real one must appear in at least one simulated item (unless listed as not simulated),
/// and wherever both sides hold a non-null value the JSON kinds must agree, recursively.</summary>
public static class FixtureShapeComparer
{
    public static void Compare(string what, JsonElement real, IReadOnlyList<JsonElement> simulated, List<string> problems,
        IEnumerable<string>? notSimulated = null, IEnumerable<string>? kindDiffers = null)
    {
        if (simulated.Count == 0) { problems.Add($"{what}: the simulator returned no items to compare"); return; }
        var skip = new HashSet<string>(notSimulated ?? []);
        var differs = new HashSet<string>(kindDiffers ?? []);
        var union = simulated.SelectMany(s => s.EnumerateObject().Select(p => p.Name)).ToHashSet();
        foreach (var prop in real.EnumerateObject())
        {
            if (skip.Contains(prop.Name) || prop.Name.StartsWith("customfield_")) continue;
            if (!union.Contains(prop.Name)) { problems.Add($"{what}: key '{prop.Name}' is missing"); continue; }
            if (differs.Contains(prop.Name) || prop.Value.ValueKind == JsonValueKind.Null) continue;
            var counterpart = simulated.Select(s => s.TryGetProperty(prop.Name, out var v) ? v : default)
                .FirstOrDefault(v => v.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null));
            if (counterpart.ValueKind == JsonValueKind.Undefined) continue;   // only nulls simulated: nothing to compare
            Kinds($"{what}.{prop.Name}", prop.Value, counterpart, problems, differs);
        }
    }

    /// <summary>Kinds must agree below too, except for names known to differ and custom field ids (site-specific).</summary>
    private static void Kinds(string path, JsonElement real, JsonElement sim, List<string> problems, HashSet<string> differs)
    {
        if (Kind(real) != Kind(sim)) { problems.Add($"{path}: real is {Kind(real)}, simulator gives {Kind(sim)}"); return; }
        if (real.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in real.EnumerateObject())
                if (p.Value.ValueKind != JsonValueKind.Null && !differs.Contains(p.Name) && !p.Name.StartsWith("customfield_")
                    && sim.TryGetProperty(p.Name, out var s) && s.ValueKind != JsonValueKind.Null)
                    Kinds($"{path}.{p.Name}", p.Value, s, problems, differs);
        }
        else if (real.ValueKind == JsonValueKind.Array && real.GetArrayLength() > 0 && sim.GetArrayLength() > 0)
            Kinds($"{path}[0]", real[0], sim[0], problems, differs);
    }

    private static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Number => "number",
        JsonValueKind.String => "string",
        JsonValueKind.Array => "array",
        JsonValueKind.Object => "object",
        _ => "null",
    };

    public static List<JsonElement> Items(JsonElement container, string? arrayProperty = null)
    {
        var array = arrayProperty is null ? container : container.GetProperty(arrayProperty);
        return array.EnumerateArray().ToList();
    }
}
