namespace JiraSync.Runs;

/// <summary>
/// Counters for one stream in one run, safe to update from the extracting and the loading side at once.
/// The loader adds rows as batches commit; the tap side adds records and its share of HTTP traffic.
/// </summary>
internal sealed class StreamStats(string stream)
{
    private long _extracted, _inserted, _updated, _deleted, _requests, _retries, _rateLimited, _bytes;

    public string Stream { get; } = stream;
    public DateTimeOffset? StartedAt { get; set; }
    public string? BookmarkBefore { get; set; }
    public string? BookmarkAfter { get; set; }
    public RunStatus Status { get; set; } = RunStatus.Succeeded;
    public string? Error { get; set; }

    public long RecordsExtracted => Interlocked.Read(ref _extracted);
    public long RowsInserted => Interlocked.Read(ref _inserted);
    public long RowsUpdated => Interlocked.Read(ref _updated);
    public long RowsDeleted => Interlocked.Read(ref _deleted);
    public long HttpRequests => Interlocked.Read(ref _requests);
    public long Retries => Interlocked.Read(ref _retries);
    public long RateLimited => Interlocked.Read(ref _rateLimited);
    public long Bytes => Interlocked.Read(ref _bytes);

    public void AddExtracted(long n = 1) => Interlocked.Add(ref _extracted, n);
    public void AddInserted(long n) => Interlocked.Add(ref _inserted, n);
    public void AddUpdated(long n) => Interlocked.Add(ref _updated, n);
    public void AddDeleted(long n) => Interlocked.Add(ref _deleted, n);

    public void AddHttp(long requests, long retries, long rateLimited, long bytes)
    {
        Interlocked.Add(ref _requests, requests);
        Interlocked.Add(ref _retries, retries);
        Interlocked.Add(ref _rateLimited, rateLimited);
        Interlocked.Add(ref _bytes, bytes);
    }

    public RunStreamRecord ToRecord(string runId, DateTimeOffset finishedAt) => new()
    {
        RunId = runId, Stream = Stream, Status = Status, Error = Error,
        RecordsExtracted = RecordsExtracted, RowsInserted = RowsInserted, RowsUpdated = RowsUpdated, RowsDeleted = RowsDeleted,
        HttpRequests = HttpRequests, Retries = Retries, RateLimited = RateLimited, Bytes = Bytes,
        Duration = StartedAt is { } s ? finishedAt - s : TimeSpan.Zero,
        BookmarkBefore = BookmarkBefore, BookmarkAfter = BookmarkAfter, FinishedAt = finishedAt,
    };
}
