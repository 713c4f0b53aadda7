using JiraSync.Simulator.Model;

namespace JiraSync.Simulator.Jql;

public sealed record JqlSort(string Field, bool Descending);

/// <summary>A parsed query: clauses ANDed together, then an ordering.</summary>
public sealed class JqlQuery
{
    public List<Func<SimIssue, bool>> Clauses { get; } = [];
    public List<JqlSort> OrderBy { get; } = [];
    /// <summary>True when at least one clause restricts the result (enhanced search refuses unbounded queries).</summary>
    public bool Bounded => Clauses.Count > 0;

    public bool Matches(SimIssue issue)
    {
        foreach (var c in Clauses) if (!c(issue)) return false;
        return true;
    }

    /// <summary>Orders matches. Without ORDER BY Jira's default is by key, newest first; ties always end
    /// on id so pages are stable.</summary>
    public int Compare(SimIssue a, SimIssue b)
    {
        var sorts = OrderBy.Count > 0 ? OrderBy : [new JqlSort("key", true)];
        foreach (var s in sorts)
        {
            var c = s.Field switch
            {
                "updated" => a.UpdatedMs.CompareTo(b.UpdatedMs),
                "created" => a.CreatedMs.CompareTo(b.CreatedMs),
                "id" => a.Id.CompareTo(b.Id),
                "key" => CompareKeys(a, b),
                _ => 0,
            };
            if (c != 0) return s.Descending ? -c : c;
        }
        return a.Id.CompareTo(b.Id);
    }

    private static int CompareKeys(SimIssue a, SimIssue b)
    {
        var p = string.CompareOrdinal(a.Project.Key, b.Project.Key);
        if (p != 0) return p;
        return KeyNumber(a.Key).CompareTo(KeyNumber(b.Key));
    }

    private static long KeyNumber(string key) => long.Parse(key.AsSpan(key.LastIndexOf('-') + 1));
}
