using System.Text.Json;
using System.Text.Json.Nodes;

namespace JiraSync.Singer;

/// <summary>
/// Why a row is no longer live: a record property next to <c>_sdc_deleted_at</c>, loaded into the <c>_jirasync_status</c>
/// column every table has. The one home of these values
/// and of how they reach a row: a record's own <c>_jirasync_status</c>, a deletion mark without one
/// (<see cref="Deleted"/>), full-table rows missing from a complete run and children not re-sent with their parent
/// (<see cref="Deleted"/>), and children of a row that left (its status, copied by the loader's deletion cascade).
/// A row is live while <c>_sdc_deleted_at</c> is null; its status is then null, or <see cref="Moved"/>.
/// </summary>
internal static class RowStatus
{
    public const string Column = "_jirasync_status";

    /// <summary>Gone from Jira (or hidden by issue-level security, which Jira answers exactly like a deletion).</summary>
    public const string Deleted = "deleted";
    /// <summary>Its project is in no project list of this user any more (Browse permission removed, or purged).</summary>
    public const string NoAccess = "no_access";
    /// <summary>Its project was archived (Cloud: project/search status=archived; Server/DC: archived in the project list).</summary>
    public const string Archived = "archived";
    /// <summary>An issue that changed project: same id, new key; live under its new key (or, when its new project is
    /// outside the configured projects, marked with <c>_sdc_deleted_at</c> too).</summary>
    public const string Moved = "moved";

    public static readonly IReadOnlyList<string> All = [Deleted, NoAccess, Archived, Moved];

    /// <summary>The status a record brings: its own <c>_jirasync_status</c> when it is one of <see cref="All"/>, else
    /// <see cref="Deleted"/> for a deletion mark, else null.</summary>
    public static string? Of(JsonObject record, DateTimeOffset? deletedAt)
    {
        if (record[Column] is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is var s && All.Contains(s)) return s;
        return deletedAt is null ? null : Deleted;
    }

    /// <summary><see cref="Of(JsonObject, DateTimeOffset?)"/> for a record as parsed (target mode).</summary>
    /// <param name="record">The record.</param>
    /// <param name="deletedAt">Its deletion mark, if any.</param>
    public static string? Of(JsonElement record, DateTimeOffset? deletedAt)
    {
        if (record.TryGetProperty(Column, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { } s && All.Contains(s)) return s;
        return deletedAt is null ? null : Deleted;
    }
}
