using JiraSync.Loading;
using JiraSync.Runs;

namespace JiraSync.Tests.Operations;

/// <summary>The destination run lock of each kind: exclusive while held, free again once released.</summary>
public class RunLockTests
{
    public static TheoryData<string> Kinds => new() { "duckdb", "postgres", "jsonl" };

    private static DestinationUri Uri(string kind) => kind switch
    {
        "duckdb" => DestinationUri.Parse("duckdb:" + Path.Combine(RunStoreTests.TempDir(), "d.duckdb")),
        "jsonl" => DestinationUri.Parse("jsonl:" + RunStoreTests.TempDir()),
        _ => DestinationUri.Parse(RunStoreTests.PgConnectionString + ";schema=lock_" + Guid.NewGuid().ToString("N")[..10]),
    };

    [Theory, MemberData(nameof(Kinds))]
    public async Task Only_one_holder_at_a_time(string kind)
    {
        var uri = Uri(kind);
        var first = await RunDestinations.TryLockAsync(uri);
        Assert.NotNull(first);
        Assert.Null(await RunDestinations.TryLockAsync(uri));
        await first!.DisposeAsync();
        var again = await RunDestinations.TryLockAsync(uri);
        Assert.NotNull(again);
        await again!.DisposeAsync();
    }

    [Fact]
    public async Task A_second_sync_start_while_one_holds_the_lock_is_a_clear_error()
    {
        var uri = Uri("duckdb");
        await using var held = await RunDestinations.TryLockAsync(uri);
        var e = await Assert.ThrowsAsync<JiraSync.Errors.RunFailedException>(() => RunSession.BeginAsync(uri, RunStoreTests.Config, new Logging.MemoryLog(), "sync"));
        Assert.Equal($"another jirasync run is loading into {uri}; not starting a second one", e.Message);
    }
}
