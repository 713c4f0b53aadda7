namespace JiraSync.Simulator.Rendering;

/// <summary>The `fields` request parameter: `*all`, `*navigable`, field ids, `-field` exclusions,
/// comma-separated or repeated (OpenAPI searchForIssuesUsingJql `fields`).</summary>
public sealed class FieldSelection
{
    private readonly HashSet<string> _include = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _exclude = new(StringComparer.OrdinalIgnoreCase);
    private bool _all, _navigable;

    public static FieldSelection Parse(IEnumerable<string?>? values, string defaultSpec)
    {
        var sel = new FieldSelection();
        var parts = (values ?? []).Where(v => !string.IsNullOrWhiteSpace(v))
            .SelectMany(v => v!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToList();
        if (parts.Count == 0 || parts.All(p => p.StartsWith('-'))) parts.AddRange(defaultSpec.Split(','));
        foreach (var p in parts)
        {
            if (p == "*all") sel._all = true;
            else if (p == "*navigable") sel._navigable = true;
            else if (p.StartsWith('-')) sel._exclude.Add(p[1..]);
            else sel._include.Add(p);
        }
        return sel;
    }

    /// <summary>Only id/key were asked for: the issue renders without a `fields` object.</summary>
    public bool IdOnly => !_all && !_navigable && _include.All(f => f is "id" or "key");

    public bool Wants(string fieldId, bool navigable)
    {
        if (_exclude.Contains(fieldId)) return false;
        return _all || (_navigable && navigable) || _include.Contains(fieldId);
    }
}
