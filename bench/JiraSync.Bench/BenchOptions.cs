using System.Globalization;

namespace JiraSync.Bench;

public sealed record BenchOptions
{
    public int Issues { get; init; } = 1000;
    public int LatencyMs { get; init; }
    /// <summary>Further latency per KiB of response body (ms), the simulator's size-dependent share.</summary>
    public double LatencyPerKiBMs { get; init; }
    /// <summary>The simulator answers repeated requests from memory (runs after the first render nothing).</summary>
    public bool CacheResponses { get; init; }
    public int Concurrency { get; init; } = 8;
    /// <summary>Worklogs sharing one millisecond (the simulator's stress case; 0 = none).</summary>
    public int SameInstant { get; init; }
    public int Seed { get; init; } = 42;
    public bool Serve { get; init; }
    /// <summary>Select every stream, the per-issue ones (watchers, remote links) too; default: what a run without a catalog reads.</summary>
    public bool AllStreams { get; init; }
    public int Port { get; init; }
    /// <summary>Print every request's start, end and answer size, and the latency bound they imply.</summary>
    public bool Timeline { get; init; }

    /// <summary>One project per 1000 issues (at least 2, at most 50): projects drive the per-project requests.</summary>
    public int Projects => Math.Clamp(Issues / 1000, 2, 50);
    public int IssuesPerProject => Math.Max(1, Issues / Projects);
    public int Users => Math.Clamp(Issues / 50, 20, 2000);

    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            int Next() => int.Parse(args[++i], CultureInfo.InvariantCulture);
            o = args[i] switch
            {
                "--issues" => o with { Issues = Next() },
                "--latency" => o with { LatencyMs = Next() },
                "--per-kib" => o with { LatencyPerKiBMs = double.Parse(args[++i], CultureInfo.InvariantCulture) },
                "--cache" => o with { CacheResponses = true },
                "--concurrency" => o with { Concurrency = Next() },
                "--same-instant" => o with { SameInstant = Next() },
                "--seed" => o with { Seed = Next() },
                "--port" => o with { Port = Next() },
                "serve" => o with { Serve = true },
                "--all-streams" => o with { AllStreams = true },
                "--timeline" => o with { Timeline = true },
                _ => throw new ArgumentException($"unknown argument {args[i]} (use --issues N --latency MS [--per-kib MS] [--cache] [--concurrency C] [--same-instant N] [--all-streams] [--timeline])"),
            };
        }
        return o;
    }

    public string[] ToArgs() =>
        ["serve", "--issues", Issues.ToString(CultureInfo.InvariantCulture), "--latency", LatencyMs.ToString(CultureInfo.InvariantCulture),
         "--same-instant", SameInstant.ToString(CultureInfo.InvariantCulture), "--seed", Seed.ToString(CultureInfo.InvariantCulture),
         "--per-kib", LatencyPerKiBMs.ToString(CultureInfo.InvariantCulture), .. (CacheResponses ? new[] { "--cache" } : [])];
}
