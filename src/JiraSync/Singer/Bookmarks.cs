namespace JiraSync.Singer;

/// <summary>A bookmark key in a stream's entry of the state's "bookmarks" (singer-notes.md §7), with the type of its
/// value: read and written only through <see cref="TapState"/>'s typed accessors, so the key's spelling and its
/// value's form live here once.</summary>
/// <param name="Name">The key as it appears in the state JSON.</param>
internal abstract record BookmarkKey(string Name);

/// <summary>A bookmark holding an instant, written in Singer's UTC form (<see cref="SingerTime.Format"/>).</summary>
internal sealed record DateBookmark(string Name) : BookmarkKey(Name);

/// <summary>A bookmark holding text.</summary>
internal sealed record TextBookmark(string Name) : BookmarkKey(Name);

/// <summary>A bookmark holding a whole number.</summary>
internal sealed record NumberBookmark(string Name) : BookmarkKey(Name);

/// <summary>A bookmark that is either present (true) or absent.</summary>
internal sealed record FlagBookmark(string Name) : BookmarkKey(Name);

/// <summary>A bookmark holding text per name (an object of strings), e.g. id ranges per project key.</summary>
internal sealed record TextMapBookmark(string Name) : BookmarkKey(Name);

/// <summary>Every bookmark key the tap reads or writes (the names tap-jira uses where it has one).</summary>
internal static class Bookmarks
{
    /// <summary>The newest "updated" time extracted (issues and its children, worklogs): tap-jira's key.</summary>
    public static readonly DateBookmark Updated = new("updated");

    /// <summary>The worklog deletion feed's position (worklog/deleted "since").</summary>
    public static readonly DateBookmark Deleted = new("deleted");

    /// <summary>The issue ids known to exist, as compact ranges ("10000-10119,10200"), to notice deleted issues.</summary>
    public static readonly TextBookmark KnownIds = new("known_ids");

    /// <summary>The start date those ids were listed from.</summary>
    public static readonly DateBookmark KnownSince = new("known_since");

    /// <summary>The project clause those ids were listed under ("" for all projects).</summary>
    public static readonly TextBookmark KnownScope = new("known_scope");

    /// <summary>Issue ids marked <c>no_access</c> or <c>archived</c> (out of this user's sight, not gone), as compact ranges:
    /// when search lists one again it is read again with its children and worklogs, and its rows are live again.</summary>
    public static readonly TextBookmark UnseenIds = new("unseen_ids");

    /// <summary>The known issue ids by project key ({"ENG": "10000-10039"}), to tell why an issue left search.</summary>
    public static readonly TextMapBookmark KnownProjects = new("known_projects");

    /// <summary>A full-table stream's table version while it runs (Unix milliseconds), as singer-python taps keep it.</summary>
    public static readonly NumberBookmark Version = new("version");

    /// <summary>Set once a full-table stream has completed a run, as singer-python taps do.</summary>
    public static readonly FlagBookmark InitialFullTableComplete = new("initial_full_table_complete");

    /// <summary>Keys whose values must be dates when a state is read: ours, plus tap-jira's "created" and "since".</summary>
    public static readonly IReadOnlySet<string> DateKeys = new HashSet<string> { Updated.Name, Deleted.Name, KnownSince.Name, "created", "since" };
}
