using JiraSync.Loading.Destinations;
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
        var first = await uri.TryLockAsync();
        Assert.NotNull(first);
        Assert.Null(await uri.TryLockAsync());
        await first!.DisposeAsync();
        var again = await uri.TryLockAsync();
        Assert.NotNull(again);
        await again!.DisposeAsync();
    }

    [Fact]
    public async Task A_second_sync_start_while_one_holds_the_lock_is_a_clear_error()
    {
        var uri = Uri("duckdb");
        await using var held = await uri.TryLockAsync();
        var e = await Assert.ThrowsAsync<JiraSync.Errors.RunFailedException>(() => JiraSync.Sync.SyncJob.BeginRunAsync(uri, RunStoreTests.Config, new Logging.MemoryLog(), "sync"));
        Assert.Equal($"another jirasync run is loading into {uri}; not starting a second one", e.Message);
    }
}
