using System.Diagnostics;
using System.Runtime.InteropServices;

namespace JiraSync.Loading;

/// <summary>Time a SQL destination spent in each step of its batch commits, summed over batches (logged per batch at
/// debug level): where loading time goes. Each step has its wall-clock time and the CPU time of the committing thread
/// (Linux; zero elsewhere). DuckDB with <c>threads=1</c> does all its work on that thread, so there the CPU time is
/// DuckDB's own; PostgreSQL's work happens in the server and is not in it.</summary>
public sealed class CommitTimings
{
    /// <summary>The steps, in commit order.</summary>
    public static readonly IReadOnlyList<string> Steps = ["staging", "upsert", "marking", "hooks", "commit"];

    private readonly TimeSpan[] _wall = new TimeSpan[Steps.Count], _cpu = new TimeSpan[Steps.Count];

    /// <summary>Wall-clock time of a step (index in <see cref="Steps"/>): staging = bulk writes into the staging tables
    /// (DuckDB appender, PostgreSQL binary COPY); upsert = the statements moving staged rows into the tables; marking =
    /// version activations, children not re-sent and deletion cascades; hooks = batch hooks (the analytics history);
    /// commit = saving the state and committing.</summary>
    /// <param name="step">Index in <see cref="Steps"/>.</param>
    public TimeSpan Wall(int step) => _wall[step];

    /// <summary>CPU time of the committing thread in a step (see <see cref="Wall"/>).</summary>
    /// <param name="step">Index in <see cref="Steps"/>.</param>
    public TimeSpan Cpu(int step) => _cpu[step];

    /// <summary>Batches counted.</summary>
    public int Batches { get; private set; }

    /// <summary>The last batch's steps, as text.</summary>
    public string Last { get; private set; } = "";

    internal void Add(Mark[] marks)
    {
        var wall = new TimeSpan[Steps.Count];
        var cpu = new TimeSpan[Steps.Count];
        for (var i = 0; i < Steps.Count; i++)
        {
            wall[i] = Stopwatch.GetElapsedTime(marks[i].Ticks, marks[i + 1].Ticks);
            cpu[i] = marks[i + 1].Cpu - marks[i].Cpu;
            _wall[i] += wall[i];
            _cpu[i] += cpu[i];
        }
        Batches++;
        Last = Describe(wall, cpu);
    }

    /// <summary>The totals, e.g. "staging 1.20 s (CPU 0.90 s), upsert 3.40 s (CPU 3.10 s), …".</summary>
    public override string ToString() => Describe(_wall, _cpu);

    private static string Describe(TimeSpan[] wall, TimeSpan[] cpu) =>
        string.Join(", ", Steps.Select((s, i) => FormattableString.Invariant($"{s} {wall[i].TotalSeconds:0.00} s (CPU {cpu[i].TotalSeconds:0.00} s)")));

    /// <summary>An instant of the committing thread: wall clock and the thread's CPU time.</summary>
    internal readonly record struct Mark(long Ticks, TimeSpan Cpu)
    {
        /// <summary>Now: Stopwatch ticks and the calling thread's CPU time (user + system).</summary>
        public static Mark Now() => new(Stopwatch.GetTimestamp(), ThreadCpu());
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;     // struct timespec tv_sec (clock_gettime)
        public long Nanoseconds; // tv_nsec
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec value);

    private static bool _noThreadClock = !OperatingSystem.IsLinux();

    /// <summary>CPU time of the calling thread (CLOCK_THREAD_CPUTIME_ID); zero where unavailable.</summary>
    private static TimeSpan ThreadCpu()
    {
        if (_noThreadClock) return TimeSpan.Zero;
        try
        {
            return ClockGetTime(3, out var t) == 0 ? TimeSpan.FromTicks(t.Seconds * TimeSpan.TicksPerSecond + t.Nanoseconds / 100) : TimeSpan.Zero;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            _noThreadClock = true;
            return TimeSpan.Zero;
        }
    }
}
