using System.Text.Json.Nodes;

namespace JiraSync.Streams;

public enum ReplicationMethod { FullTable, Incremental }

/// <summary>How a generic stream's endpoint returns its items (jira-api-notes.md §1).</summary>
public enum Pagination
{
    /// <summary>One request, a plain JSON array (project/type, projectCategory, resolution, role).</summary>
    PlainArray,
    /// <summary>PageBean: startAt/maxResults/total/isLast with items in "values" (project/{id}/version, …).</summary>
    PageBean,
    /// <summary>Pagination is the fetcher's own business (search, worklog feeds, users).</summary>
    Special,
}

/// <summary>Who fetches a stream. Only truly special streams get their own fetcher; the rest are generic.</summary>
public enum FetcherKind
{
    /// <summary>One site-wide endpoint.</summary>
    Site,
    /// <summary>One endpoint per visible project ("{projectId}" in the endpoint).</summary>
    PerProject,
    /// <summary>issues and the child streams read from the same search pages.</summary>
    IssueFamily,
    Worklogs,
    Users,
    Projects,
}

/// <summary>A reference from a stream's records to a parent stream: the parent's name and the child's property
/// holding the parent's key.</summary>
public sealed record StreamLink(string Parent, string Property);

/// <summary>
/// One stream, declared as data: the whole table is in <see cref="StreamRegistry"/>.
/// </summary>
/// <param name="Name">tap_stream_id and stream name, as tap-jira names it.</param>
/// <param name="Endpoint">Path relative to the base URL; "{projectId}" is filled per project.</param>
/// <param name="KeyProperties">Primary key (Cloud); <paramref name="ServerKeyProperties"/> overrides on Server/DC.</param>
/// <param name="ReplicationKey">Bookmark property for INCREMENTAL streams, null for FULL_TABLE.</param>
/// <param name="Parent">Parent stream (parent-tap-stream-id); its records are read even when it is not selected.</param>
/// <param name="ParentIdProperty">Property each record gets holding the parent's id (issueId, projectId).</param>
/// <param name="Transform">Per-record fix-up after fetching (e.g. version dates), or null.</param>
public sealed record StreamDefinition(
    string Name,
    FetcherKind Fetcher,
    string? Endpoint,
    Pagination Pagination,
    IReadOnlyList<string> KeyProperties,
    ReplicationMethod Method,
    string? ReplicationKey = null,
    string? Parent = null,
    string? ParentIdProperty = null,
    IReadOnlyList<string>? ServerKeyProperties = null,
    Func<JsonObject, JsonObject>? Transform = null)
{
    /// <summary>The tap re-sends this child's complete set with every extracted parent record (an issue's comments,
    /// its available transitions): a loader marks a child row deleted when its re-sent parent came without it.
    /// Written into the parent's SCHEMA as <see cref="Singer.SchemaHints.Children"/>.</summary>
    public bool ResentWithParent { get; init; }

    /// <summary>The stream whose deleted records take this stream's records with them, when that is not
    /// <see cref="Parent"/> (worklogs have their own feed but die with their issue); null: <see cref="Parent"/>.</summary>
    public StreamLink? DeletedWith { get; init; }

    /// <summary>The parent whose deletion deletes this stream's records, and the property naming it: <see cref="DeletedWith"/>,
    /// else <see cref="Parent"/> with <see cref="ParentIdProperty"/>, else null.</summary>
    public StreamLink? DeletionParent =>
        DeletedWith ?? (Parent is not null && ParentIdProperty is not null ? new StreamLink(Parent, ParentIdProperty) : null);

    public string SchemaResource => $"JiraSync.Schemas.{Name}.json";

    public IReadOnlyList<string> KeysFor(bool isServer) =>
        isServer && ServerKeyProperties != null ? ServerKeyProperties : KeyProperties;

    /// <summary>Properties always emitted whatever the selection: keys and the replication key.</summary>
    public IEnumerable<string> AutomaticProperties(bool isServer) =>
        KeysFor(isServer).Concat(ReplicationKey is null ? [] : [ReplicationKey]).Distinct();
}
