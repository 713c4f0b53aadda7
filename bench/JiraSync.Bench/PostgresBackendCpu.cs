using System.Globalization;
using Npgsql;

namespace JiraSync.Bench;

/// <summary>
/// The PostgreSQL server's CPU spent for one client: the server runs on this machine, one backend process per
/// connection, so the user + system CPU of the backends whose <c>application_name</c> is the client's (read from
/// <c>/proc/PID/stat</c>, sampled every 100 ms while they live: a backend exits with its connection) is the
/// server-side cost of the load, which the loader's own CPU leaves out.
/// </summary>
internal sealed class PostgresBackendCpu : IAsyncDisposable
{
    private readonly Dictionary<int, double> _cpuByPid = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;

    private PostgresBackendCpu(string connectionString, string applicationName) =>
        _sampling = Task.Run(() => SampleAsync(connectionString, applicationName, _stop.Token));

    /// <summary>Starts sampling the backends of connections named <paramref name="applicationName"/> on the server of
    /// <paramref name="connectionString"/> (which must run on this machine).</summary>
    /// <param name="connectionString">Npgsql connection string of the server (the sampler's own connection).</param>
    /// <param name="applicationName">The <c>Application Name</c> the measured client connects with.</param>
    public static PostgresBackendCpu Start(string connectionString, string applicationName) => new(connectionString, applicationName);

    /// <summary>Stops sampling; returns the backends' total CPU in seconds and how many backends were seen.</summary>
    public async Task<(double Seconds, int Backends)> StopAsync()
    {
        await _stop.CancelAsync();
        try { await _sampling; } catch (OperationCanceledException) { }
        lock (_cpuByPid) return (_cpuByPid.Values.Sum(), _cpuByPid.Count);
    }

    private async Task SampleAsync(string connectionString, string applicationName, CancellationToken ct)
    {
        await using var c = new NpgsqlConnection(connectionString);
        await c.OpenAsync(ct);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT pid FROM pg_stat_activity WHERE application_name = @a";
        cmd.Parameters.AddWithValue("a", applicationName);
        while (!ct.IsCancellationRequested)
        {
            var pids = new List<int>();
            await using (var reader = await cmd.ExecuteReaderAsync(ct))
                while (await reader.ReadAsync(ct)) pids.Add(reader.GetInt32(0));
            lock (_cpuByPid)
                foreach (var pid in pids)
                    if (CpuSeconds(pid) is { } s) _cpuByPid[pid] = Math.Max(_cpuByPid.GetValueOrDefault(pid), s);
            await Task.Delay(100, ct);
        }
    }

    private static double? CpuSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
        }
        catch (IOException) { return null; }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }
}
