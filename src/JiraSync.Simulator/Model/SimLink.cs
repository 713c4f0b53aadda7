namespace JiraSync.Simulator.Model;

/// <summary>An issue link: <see cref="InwardIssueId"/> is the source ("A blocks B": A), <see cref="OutwardIssueId"/>
/// the target. Issue A's `issuelinks` shows it with `outwardIssue` = B, issue B's with `inwardIssue` = A, both under
/// the same link id (OpenAPI IssueLink; jira-api-notes §14.2).</summary>
public sealed record SimLink(long Id, int TypeIndex, long InwardIssueId, long OutwardIssueId);

/// <summary>Attachment metadata; the content is never served.</summary>
public sealed record SimAttachment(long Id, long IssueId, string Filename, long Size, string MimeType, long CreatedMs, int AuthorIndex);

/// <summary>A remote issue link (a web link or an app object), regenerated from Seed when rendered.</summary>
public sealed record SimRemoteLink(long Id, long IssueId, int Seed);

/// <summary>A saved filter. Share is one of global, authenticated, project, group or private (owner only);
/// ShareTarget holds the project id or group name.</summary>
public sealed record SimFilter(long Id, string Name, string? Description, int OwnerIndex, string Jql, string Share, string? ShareTarget, bool Favourite);

/// <summary>A changelog item written exactly as given (control scenarios whose history must be known exactly);
/// FromText/ToText render as `fromString`/`toString`.</summary>
public sealed record SimChangeItem(string Field, string FieldType, string FieldId, string? From, string? FromText, string? To, string? ToText);
