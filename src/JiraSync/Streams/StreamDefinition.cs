using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using JiraSync.Jira;

namespace JiraSync.Streams;

/// <summary>How a stream is replicated (Singer metadata forced-replication-method).</summary>
public enum ReplicationMethod
{
    /// <summary>FULL_TABLE: every run reads the whole stream; ACTIVATE_VERSION lets targets drop vanished rows.</summary>
    FullTable,
    /// <summary>INCREMENTAL: each run reads what changed since the stream's bookmark.</summary>
    Incremental,
}

/// <summary>How a declared stream's endpoint pages its items (jira-api-notes.md §1); each maps to one pager of Jira/Paging.</summary>
internal enum PageKind
{
    /// <summary>Paging is the dedicated fetcher's business (the issue sweep, worklog feeds, users), or the
    /// records come from the parent's own page (issue links, attachments, sprint membership).</summary>
    None,
    /// <summary>One request, a bare JSON array, or one object holding the array under <see cref="StreamDefinition.ItemsKey"/>.</summary>
    PlainArray,
    /// <summary>PageBean (<see cref="Jira.Paging.PageBeanPager"/>): offset pages with total and isLast, items in "values".</summary>
    PageBean,
    /// <summary>Jira Software's offset pages (<see cref="Jira.Paging.AgilePager"/>): isLast, items in "values", total not trusted.</summary>
    Agile,
    /// <summary>Older offset lists (<see cref="Jira.Paging.OffsetListPager"/>): total, items under <see cref="StreamDefinition.ItemsKey"/>.</summary>
    OffsetList,
    /// <summary>nextPageToken pages over GET, items under <see cref="StreamDefinition.ItemsKey"/>.</summary>
    Token,
}

/// <summary>Who reads a stream. Everything declared with a path is read by <see cref="DeclaredStreamFetcher"/>;
/// only what Jira makes special has its own code.</summary>
internal enum FetcherKind
{
    /// <summary>The generic fetcher: site-wide, or once per record of its parent stream.</summary>
    Declared,
    /// <summary>issues and its children, read along one issue sweep (<see cref="IssueFamilyFetcher"/>).</summary>
    IssueFamily,
    /// <summary>The worklog change feeds (<see cref="WorklogsFetcher"/>).</summary>
    Worklogs,
    /// <summary>users/search plus group members (<see cref="UsersFetcher"/>).</summary>
    Users,
}

/// <summary>A reference from a stream's records to a parent stream: the parent's name and the child's property
/// holding the parent's key.</summary>
internal sealed record StreamLink(string Parent, string Property);

/// <summary>
/// An error answer that skips one partition (the whole stream when it has no parent, else one parent
/// record's part) instead of failing the run.
/// </summary>
/// <param name="StatusCode">The HTTP status, e.g. 403.</param>
/// <param name="MessagePattern">A regular expression the error message must match (case-insensitive), or null for any.</param>
/// <param name="Quiet">True when the answer is a normal state, not a gap: no warning, and the table stays complete
/// (a Kanban board answering 400 "does not support sprints" has no sprints). False: one warning line naming the
/// partition, and no closing ACTIVATE_VERSION, since rows of the partition may still exist.</param>
internal sealed record SkipRule(int StatusCode, string? MessagePattern = null, bool Quiet = false)
{
    internal bool Matches(JiraRequestException error) =>
        error.StatusCode == StatusCode &&
        (MessagePattern is null || Regex.IsMatch(error.Message, MessagePattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant));

    /// <summary>403 and 404: the user may not see it, or it is gone (Jira does not tell which).</summary>
    internal static IReadOnlyList<SkipRule> ForbiddenOrMissing { get; } = [new(403), new(404)];
}

/// <summary>Keeps the records of a declared stream that belong in this run (e.g. those of the configured projects);
/// it sees the whole list at once, so it can also say what it looked for and did not find.</summary>
internal delegate IReadOnlyList<JsonObject> RecordFilter(TapContext ctx, IReadOnlyList<JsonObject> records);

/// <summary>Records a stream derives from one of its parent's items, with no request (an issue's links from its fields).</summary>
internal delegate IEnumerable<JsonObject> ParentExtractor(TapContext ctx, JsonElement parent);

/// <summary>What differs on Jira Server / Data Center; every null member keeps the Cloud value.</summary>
internal sealed record ServerDifferences
{
    /// <summary>The stream does not exist on Server/DC (no such endpoint): it is read as empty, with one info line.</summary>
    internal bool Unavailable { get; init; }
    internal string? Path { get; init; }
    internal PageKind? Pages { get; init; }
    internal string? ItemsKey { get; init; }
    internal IReadOnlyList<string>? KeyProperties { get; init; }
    internal string? ParentIdProperty { get; init; }
}

/// <summary>
/// One stream, declared as data: the whole table is <see cref="StreamRegistry"/>. A simple stream is one
/// declaration plus its JSON schema (Streams/Schemas/NAME.json).
/// </summary>
/// <param name="Name">tap_stream_id and stream name (tap-jira's names for its thirteen).</param>
/// <param name="KeyProperties">Primary key on Cloud (<see cref="Server"/> may override it).</param>
/// <param name="Method">FULL_TABLE or INCREMENTAL.</param>
public sealed record StreamDefinition(string Name, IReadOnlyList<string> KeyProperties, ReplicationMethod Method)
{
    internal FetcherKind Fetcher { get; init; } = FetcherKind.Declared;

    /// <summary>Path relative to the base URL, query included. Placeholders "{name}" are filled from the parent
    /// record: "{ParentIdProperty}" takes the parent's first key property (project "id" for "{projectId}", board
    /// "id" for "{boardId}"); any other "{name}" takes the parent's own property of that name.</summary>
    internal string? Path { get; init; }

    internal PageKind Pages { get; init; } = PageKind.None;

    /// <summary>Where the items sit for OffsetList and Token pages, or under which key a PlainArray answer holds them.</summary>
    internal string? ItemsKey { get; init; }

    /// <summary>maxResults to ask for; null uses the run's page_size (agile pages: 50).</summary>
    public int? PageSize { get; init; }

    /// <summary>Bookmark property for INCREMENTAL streams, null for FULL_TABLE.</summary>
    internal string? ReplicationKey { get; init; }

    /// <summary>Parent stream (parent-tap-stream-id): its records are read, even when it is not selected, to fill the path.</summary>
    internal string? Parent { get; init; }

    /// <summary>Property each record gets holding its parent's id (issueId, projectId, boardId), when Jira leaves it out.</summary>
    internal string? ParentIdProperty { get; init; }

    /// <summary>The stream whose deleted records take this stream's records with them, when that is not
    /// <see cref="Parent"/> (worklogs have their own feed but die with their issue); null: <see cref="Parent"/>.</summary>
    internal StreamLink? DeletedWith { get; init; }

    /// <summary>The parent whose deletion deletes this stream's records, and the property naming it: <see cref="DeletedWith"/>,
    /// else <see cref="Parent"/> with <see cref="ParentIdProperty"/>, else null.</summary>
    internal StreamLink? DeletionParent =>
        DeletedWith ?? (Parent is not null && ParentIdProperty is not null ? new StreamLink(Parent, ParentIdProperty) : null);

    /// <summary>Other properties naming a record of the deletion parent whose deletion removes this row too (an issue
    /// link dies with either of its issues, and is stored under only one of them).</summary>
    internal IReadOnlyList<string> AlsoDiesWith { get; init; } = [];

    /// <summary>Which parent records have a part of this stream (fields with options have contexts), or null for all.</summary>
    internal Func<JsonObject, bool>? ParentWhere { get; init; }

    /// <summary>Parent properties copied onto each record (custom field options carry their context's fieldId).</summary>
    internal IReadOnlyList<string> ParentProperties { get; init; } = [];

    /// <summary>Answers that skip a partition instead of failing the run.</summary>
    internal IReadOnlyList<SkipRule> Skips { get; init; } = SkipRule.ForbiddenOrMissing;

    /// <summary>Items kept, or null for all.</summary>
    internal RecordFilter? Filter { get; init; }

    /// <summary>Items that are bare values (labels are strings) become one-property records under this name.</summary>
    internal string? ValueProperty { get; init; }

    /// <summary>Records taken from each parent item without a request (instead of <see cref="Path"/>).</summary>
    internal ParentExtractor? FromParent { get; init; }

    /// <summary>Issue fields the issue sweep must ask for to feed <see cref="FromParent"/> when issues is not selected.</summary>
    internal Func<TapContext, IEnumerable<string>>? ParentFields { get; init; }

    /// <summary>Read only as another stream's parent: no schema, never in the catalog (custom field contexts).</summary>
    internal bool Internal { get; init; }

    /// <summary>Per-record fix-up after fetching (e.g. version dates), or null.</summary>
    internal Func<JsonObject, JsonObject>? Transform { get; init; }

    /// <summary>Server/Data Center differences, or null when the stream is the same there.</summary>
    internal ServerDifferences? Server { get; init; }

    /// <summary>A child re-sent in full with every extraction of its parent: rows of it missing from a re-extracted
    /// parent no longer exist and are marked deleted by the loader (issue comments, transitions, links…).</summary>
    internal bool ResentWithParent { get; init; }

    /// <summary>False for streams costing a request per parent record (issue watchers, remote links): they are read
    /// only when a catalog selects them, never by the select-everything default.</summary>
    public bool SelectedByDefault { get; init; } = true;

    /// <summary>What a run costs in requests, for the README and the bench (e.g. "1", "1 per board").</summary>
    internal string Cost { get; init; } = "1";

    internal string SchemaResource => $"JiraSync.Schemas.{Name}.json";

    internal IReadOnlyList<string> KeysFor(bool isServer) =>
        isServer && Server?.KeyProperties is { } k ? k : KeyProperties;

    internal string? PathFor(bool isServer) => isServer && Server?.Path is { } p ? p : Path;

    internal PageKind PagesFor(bool isServer) => isServer && Server?.Pages is { } p ? p : Pages;

    internal string? ItemsKeyFor(bool isServer) => isServer && Server?.ItemsKey is { } k ? k : ItemsKey;

    internal string? ParentIdPropertyFor(bool isServer) => isServer && Server?.ParentIdProperty is { } p ? p : ParentIdProperty;

    internal bool AvailableOn(bool isServer) => !(isServer && Server?.Unavailable == true);

    /// <summary>Properties always emitted whatever the selection: keys and the replication key.</summary>
    internal IEnumerable<string> AutomaticProperties(bool isServer) =>
        KeysFor(isServer).Concat(ReplicationKey is null ? [] : [ReplicationKey]).Distinct();
}
