using JiraSync.Streams;

namespace JiraSync.Loading;

/// <summary>
/// When a parent row is marked deleted, its children are gone at the source too (deleting a Jira issue
/// deletes its comments, changelogs, transitions and worklogs), yet no source reports them one by one.
/// A cascade marks child rows whose <see cref="ChildColumn"/> names a deleted parent, in the same
/// transaction, so they do not linger as ghosts.
/// </summary>
public sealed record DeletionCascade(string Parent, string ParentKey, string Child, string ChildColumn)
{
    /// <summary>The Jira streams' parent links (from the stream registry), plus worklogs → issues: worklogs
    /// have their own feed, but carry issueId and die with their issue.</summary>
    public static IReadOnlyList<DeletionCascade> ForJiraStreams()
    {
        var list = StreamRegistry.All
            .Where(d => d.Parent is not null && d.ParentIdProperty is not null && !StreamRegistry.Get(d.Parent).Internal)
            .SelectMany(d => d.AlsoDiesWith.Prepend(d.ParentIdProperty!)
                .Select(column => new DeletionCascade(d.Parent!, StreamRegistry.Get(d.Parent!).KeyProperties[0], d.Name, column)))
            .ToList();
        if (StreamRegistry.Find("worklogs") is not null && list.All(c => c.Child != "worklogs"))
            list.Add(new DeletionCascade("issues", "id", "worklogs", "issueId"));
        return list;
    }

    /// <summary>Children the tap re-sends in full with every extracted parent, as the stream registry declares them
    /// (<see cref="StreamDefinition.ResentWithParent"/>: an issue's transitions, comments, links, attachments, sprint
    /// membership, watchers, remote links). A row of these not re-sent with its re-extracted issue no longer exists
    /// (a transition the new status does not offer, a deleted comment, a removed link) and is marked deleted.</summary>
    public static IReadOnlyList<DeletionCascade> JiraSnapshotChildren() =>
        StreamRegistry.All
            .Where(d => d.ResentWithParent && d.Parent is not null && d.ParentIdProperty is not null)
            .Select(d => new DeletionCascade(d.Parent!, StreamRegistry.Get(d.Parent!).KeyProperties[0], d.Name, d.ParentIdProperty!))
            .ToList();
}
