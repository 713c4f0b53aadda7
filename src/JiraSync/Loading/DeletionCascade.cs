namespace JiraSync.Loading;

/// <summary>
/// A parent → child link the loader keeps consistent, from a parent SCHEMA's <see cref="Singer.SchemaHints.Children"/>.
/// As a deletion cascade: when a parent row is marked deleted, its children are gone at the source too (deleting a
/// Jira issue deletes its comments, changelogs, transitions and worklogs), yet no source reports them one by one, so
/// child rows whose <see cref="ChildColumn"/> names a deleted parent are marked in the same transaction. As a
/// snapshot link (children re-sent with their parent): children of a parent loaded in a batch that were not re-sent
/// with it are marked deleted.
/// </summary>
/// <param name="Parent">The parent stream (table).</param>
/// <param name="ParentKey">The parent's column the child refers to.</param>
/// <param name="Child">The child stream (table).</param>
/// <param name="ChildColumn">The child's column holding the parent's key (compared as text).</param>
public sealed record DeletionCascade(string Parent, string ParentKey, string Child, string ChildColumn);
