namespace JiraSync.Loading;

/// <summary>
/// A test hook for the crash tests: with JIRASYNC_TEST_PAUSE="point:N" the process announces
/// "JIRASYNC-PAUSED point N" on stderr the N-th time it reaches that point and then hangs, so a test
/// can SIGKILL it at a known instant (mid-COPY, between batches, before a commit). Inert otherwise.
/// </summary>
internal static class TestPause
{
    private static readonly (string Point, int Count)? Target = ParseTarget(Environment.GetEnvironmentVariable("JIRASYNC_TEST_PAUSE"));
    private static int _hits;

    public static void At(string point)
    {
        if (Target is not { } t || t.Point != point) return;
        if (Interlocked.Increment(ref _hits) != t.Count) return;
        Console.Error.WriteLine($"JIRASYNC-PAUSED {point} {t.Count}");
        Console.Error.Flush();
        Thread.Sleep(Timeout.Infinite);
    }

    private static (string, int)? ParseTarget(string? value)
    {
        if (string.IsNullOrEmpty(value)) return null;
        var parts = value.Split(':');
        return parts.Length == 2 && int.TryParse(parts[1], out var n) ? (parts[0], n) : null;
    }
}
