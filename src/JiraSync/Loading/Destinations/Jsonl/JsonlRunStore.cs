using System.Text.Json;
using System.Text.Json.Serialization;
using JiraSync.Runs;

namespace JiraSync.Loading.Destinations.Jsonl;

/// <summary>
/// Run history for a `jsonl:DIR` destination: `_jirasync_runs.jsonl` and `_jirasync_run_streams.jsonl` in DIR,
/// appended to (a run is written when it starts and again when it ends); readers keep the last line per key,
/// so the files stay append-only and a crash never corrupts earlier lines.
/// </summary>
internal sealed class JsonlRunStore(string directory) : IRunStore
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly string _dir = Path.GetFullPath(directory);
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <inheritdoc/>
    public string Description => $"jsonl:{_dir}";
    /// <inheritdoc/>
    public string LogDirectory => Path.Combine(_dir, "logs");
    private string RunsFile => Path.Combine(_dir, SqlRunStore.RunsTable + ".jsonl");
    private string StreamsFile => Path.Combine(_dir, SqlRunStore.StreamsTable + ".jsonl");

    /// <inheritdoc/>
    public Task SaveRunAsync(RunRecord run, CancellationToken ct = default) => AppendAsync(RunsFile, JsonSerializer.Serialize(run, Json), ct);

    /// <inheritdoc/>
    public Task SaveStreamAsync(RunStreamRecord stream, CancellationToken ct = default) =>
        AppendAsync(StreamsFile, JsonSerializer.Serialize(stream, Json), ct);

    /// <inheritdoc/>
    public async Task<IReadOnlyList<RunRecord>> ListRunsAsync(int limit, DateTimeOffset? since = null, CancellationToken ct = default) =>
        (await ReadLastAsync<RunRecord>(RunsFile, r => r.RunId, ct))
            .Where(r => since is null || r.StartedAt >= since)
            .OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.RunId, StringComparer.Ordinal)
            .Take(limit).ToList();

    /// <inheritdoc/>
    public async Task<RunRecord?> GetRunAsync(string runId, CancellationToken ct = default) =>
        (await ReadLastAsync<RunRecord>(RunsFile, r => r.RunId, ct)).FirstOrDefault(r => r.RunId == runId);

    /// <inheritdoc/>
    public async Task<IReadOnlyList<RunStreamRecord>> ListStreamsAsync(IReadOnlyCollection<string> runIds, CancellationToken ct = default)
    {
        var wanted = runIds.ToHashSet();
        return (await ReadLastAsync<RunStreamRecord>(StreamsFile, s => s.RunId + "\n" + s.Stream, ct))
            .Where(s => wanted.Contains(s.RunId))
            .OrderBy(s => s.RunId, StringComparer.Ordinal).ThenBy(s => s.Stream, StringComparer.Ordinal).ToList();
    }

    private string ReconciliationFile => Path.Combine(_dir, SqlRunStore.ReconciliationTable + ".jsonl");

    /// <summary>Appends the run's rows; readers keep each run's latest set (rows stamped with the newest checked_at).</summary>
    public async Task SaveReconciliationAsync(Reconciliation.ReconciliationReport report, CancellationToken ct = default)
    {
        foreach (var row in report.Rows) await AppendAsync(ReconciliationFile, JsonSerializer.Serialize(row, Json), ct);
    }

    public async Task<IReadOnlyList<Reconciliation.ReconciliationRow>> ListReconciliationAsync(IReadOnlyCollection<string> runIds, CancellationToken ct = default)
    {
        var wanted = runIds.ToHashSet();
        var rows = (await ReadLastAsync<Reconciliation.ReconciliationRow>(ReconciliationFile, r => r.RunId + "\n" + r.Table + "\n" + r.Scope + "\n" + r.CheckedAt.ToString("O"), ct))
            .Where(r => wanted.Contains(r.RunId)).ToList();
        return rows.GroupBy(r => r.RunId).SelectMany(g => g.Where(r => r.CheckedAt == g.Max(x => x.CheckedAt)))
            .OrderBy(r => r.RunId, StringComparer.Ordinal).ThenBy(r => r.Table, StringComparer.Ordinal).ThenBy(r => r.Scope == "*" ? "~" : r.Scope, StringComparer.Ordinal).ToList();
    }

    private async Task AppendAsync(string file, string line, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            Directory.CreateDirectory(_dir);
            await File.AppendAllTextAsync(file, line + "\n", ct);
        }
        finally { _gate.Release(); }
    }

    private static async Task<IEnumerable<T>> ReadLastAsync<T>(string file, Func<T, string> key, CancellationToken ct)
    {
        if (!File.Exists(file)) return [];
        var latest = new Dictionary<string, T>();
        var lines = await File.ReadAllLinesAsync(file, ct);
        for (var n = 0; n < lines.Length; n++)
        {
            if (lines[n].Length == 0) continue;
            T? item;
            try { item = JsonSerializer.Deserialize<T>(lines[n], Json); }
            catch (JsonException e)
            {
                // A last line cut short by a crash mid-append is expected damage (the run shows as unfinished);
                // anything else is named rather than guessed around.
                if (n == lines.Length - 1) continue;
                throw new InvalidDataException($"{file} line {n + 1}: not a JSON run record ({e.Message})");
            }
            if (item is not null) latest[key(item)] = item;
        }
        return latest.Values;
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
