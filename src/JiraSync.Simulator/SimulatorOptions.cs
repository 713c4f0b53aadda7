namespace JiraSync.Simulator;

/// <summary>Which kind of Jira the simulator pretends to be.</summary>
public enum Deployment
{
    /// <summary>Jira Cloud: accountId identities, enhanced search, legacy search answers 410.</summary>
    Cloud,
    /// <summary>Jira Server / Data Center: key/name identities, legacy search with startAt/total, PAT bearer auth.</summary>
    Server,
}

/// <summary>Everything that shapes a simulated Jira. All data derives from <see cref="Seed"/>,
/// so two simulators with equal options serve byte-identical responses.</summary>
public sealed record SimulatorOptions
{
    public int Seed { get; init; } = 42;
    /// <summary>Visible projects (a further hidden project exists when <see cref="HiddenProject"/> is on).</summary>
    public int Projects { get; init; } = 3;
    public int IssuesPerProject { get; init; } = 40;
    public int Users { get; init; } = 25;
    /// <summary>The Jira user's profile time zone (IANA). JQL date literals are read in it and
    /// timestamps are rendered with its offset. Default has DST, on purpose.</summary>
    public string TimeZone { get; init; } = "America/New_York";
    public Deployment Deployment { get; init; } = Deployment.Cloud;
    /// <summary>TCP port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; init; }
    /// <summary>Delay added to every API response (not to the control surface).</summary>
    public int LatencyMs { get; init; }
    /// <summary>Further delay per KiB of the uncompressed body of every API response, in milliseconds
    /// (a latency model like a real site's: fixed <see cref="LatencyMs"/> plus a share that grows with size).</summary>
    public double LatencyPerKiBMs { get; init; }
    /// <summary>Rate-limit mode: API requests allowed per second on average (a token bucket refilled in real time;
    /// 0 = no limit). Every answer then carries X-RateLimit-Limit, X-RateLimit-Remaining and, with less than a fifth
    /// of the bucket left, X-RateLimit-NearLimit: true; a request finding the bucket empty gets 429 with
    /// Retry-After, as Jira Cloud's burst limit does (developer.atlassian.com/cloud/jira/platform/rate-limiting).</summary>
    public double RateLimitPerSecond { get; init; }
    /// <summary>Requests the bucket holds (a burst allowed at once); used with <see cref="RateLimitPerSecond"/>.</summary>
    public int RateLimitBurst { get; init; } = 10;
    /// <summary>Keep rendered responses in memory and answer a repeated request (same method, path, query,
    /// body and credentials, unchanged data and clock) from there, so the simulator's own CPU does not bound
    /// a benchmark that repeats runs. Injected faults still apply; off by default.</summary>
    public bool CacheResponses { get; init; }
    /// <summary>Where the CA certificate PEM is written; default is a fresh temp directory.</summary>
    public string? CertDirectory { get; init; }
    /// <summary>How many issues carry 250 changelog histories, 120 comments and 30 worklogs,
    /// more than any embedded collection shows.</summary>
    public int HeavyIssues { get; init; } = 2;
    /// <summary>The simulator's "now". It never moves by itself; only Control.AdvanceClock moves it.</summary>
    public DateTimeOffset ClockStart { get; init; } = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
    /// <summary>How many worklogs share one exact updated millisecond (capped at half of all worklogs),
    /// to test that a worklog/updated client does not stall when a page cannot advance `since`.</summary>
    public int WorklogsAtOneInstant { get; init; } = 1100;
    /// <summary>One extra project the user cannot see: its endpoints answer 404 and search omits it.</summary>
    public bool HiddenProject { get; init; } = true;
    /// <summary>The user holds the Administer Jira and Browse users global permissions. When false, `role`
    /// and `group/member` answer 403 like they do for ordinary users (OpenAPI getAllProjectRoles, getUsersFromGroup).</summary>
    public bool AdminPermissions { get; init; } = true;
    /// <summary>Server/DC only: the search platform's result window. A legacy search whose startAt + maxResults passes it
    /// answers 500 "Search limit exceeded" (Atlassian KB "Handling JQL REST API searching exceeding max_result_window in
    /// Jira": default 10,000, set by OpenSearch/Lucene). Tests make it small.</summary>
    public int SearchWindow { get; init; } = 10_000;
    /// <summary>Gzip responses when the client sends Accept-Encoding: gzip.</summary>
    public bool Gzip { get; init; } = true;
}
