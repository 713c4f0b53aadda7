using JiraSync.Simulator;
using JiraSync.Singer;
using JiraSync.Streams;

namespace JiraSync.Tests.Tap;

/// <summary>Units of extraction running at the same time (max_parallel_streams): the same keys as one at a time, the
/// Singer contract kept in the interleaved output, and every STATE of that output safe to resume from.</summary>
public class ConcurrentUnitsTests
{
    /// <summary>Every stream, the per-issue ones too; a little latency so that units really overlap.</summary>
    private static Task<TapHarness> StartAsync(int issuesPerProject = 12) => TapHarness.StartAsync(new SimulatorOptions
    {
        Projects = 2, IssuesPerProject = issuesPerProject, Users = 8, HeavyIssues = 1, WorklogsAtOneInstant = 0, LatencyMs = 3,
    });

    private static Catalog Everything() => Discovery.SelectAll(Discovery.BuildCatalog(isServer: false));

    [Fact]
    public async Task Concurrent_units_emit_the_same_keys_as_sequential_ones_and_keep_the_Singer_contract()
    {
        await using var h = await StartAsync();
        var observer = new OverlapObserver();
        var concurrent = await h.RunAsync(Everything(), config: h.Config with { MaxParallelStreams = 8 }, observer: observer);
        Assert.Null(concurrent.Error);
        var sequential = await h.RunAsync(Everything(), config: h.Config with { MaxParallelStreams = 1 });
        Assert.Null(sequential.Error);

        // The units did overlap (several in flight at once), and one at a time did not.
        Assert.True(observer.Peak > 1, $"at most {observer.Peak} unit(s) ran at once");

        // Same keys per stream, and both equal to what the simulator holds (computed from its data, not by the tap).
        var expected = h.Simulator.Control.ExpectedKeys();
        var seq = sequential.Keys();
        var con = concurrent.Keys();
        Assert.Equal(seq.Keys.Order(), con.Keys.Order());
        foreach (var (stream, keys) in seq)
        {
            Assert.True(keys.SetEquals(con[stream]), $"{stream}: sequential {keys.Count} keys, concurrent {con[stream].Count}");
            if (expected.TryGetValue(stream, out var want))
                Assert.True(want.SetEquals(keys), $"{stream}: {want.Count} expected, {keys.Count} emitted");
        }
        // No record twice in the concurrent run either.
        foreach (var (stream, keys) in con) Assert.Equal(keys.Count, concurrent.RecordsOf(stream).Count());

        // The output really interleaves units: some record sits between two records of another stream's unit.
        var units = concurrent.Records.Select(r => TapRunner.UnitOf(StreamRegistry.Get(r.Stream))).ToList();
        Assert.True(units.Zip(units.Skip(1)).Count(p => p.First != p.Second) > units.Distinct().Count(),
            "the units' records came one unit after another");

        // Every RECORD and ACTIVATE_VERSION comes after its stream's SCHEMA.
        var declared = new HashSet<string>();
        foreach (var m in concurrent.Messages)
        {
            if (m is SchemaMessage s) declared.Add(s.Stream);
            if (m is RecordMessage r) Assert.True(declared.Contains(r.Stream), $"RECORD of {r.Stream} before its SCHEMA");
            if (m is ActivateVersionMessage a) Assert.True(declared.Contains(a.Stream), $"ACTIVATE_VERSION of {a.Stream} before its SCHEMA");
        }

        // Children re-sent with their issue follow it directly: between an issue and each such child only records
        // of that same issue's family.
        var resent = StreamRegistry.All.Where(d => d.ResentWithParent).Select(d => d.Name).ToHashSet();
        var family = StreamRegistry.All.Where(d => d.Fetcher == FetcherKind.IssueFamily).Select(d => d.Name).ToHashSet();
        var messages = concurrent.Messages;
        var checkedChildren = 0;
        for (var i = 0; i < messages.Count; i++)
        {
            if (messages[i] is not RecordMessage child || !resent.Contains(child.Stream)) continue;
            var issueId = child.Record["issueId"]!.ToString();
            var j = i - 1;
            for (; j >= 0; j--)
            {
                var m = Assert.IsType<RecordMessage>(messages[j], exactMatch: false);
                Assert.Contains(m.Stream, family);
                if (m.Stream == "issues") break;
                Assert.Equal(issueId, m.Record["issueId"]!.ToString());
            }
            Assert.True(j >= 0, $"{child.Stream} record of issue {issueId} without its issue before it");
            Assert.Equal(issueId, ((RecordMessage)messages[j]).Record["id"]!.ToString());
            checkedChildren++;
        }
        Assert.True(checkedChildren > 50, $"only {checkedChildren} re-sent children checked");

        // The final STATE names no unit and holds the bookmarks of both incremental units.
        var state = TapState.FromJson(concurrent.LastState);
        Assert.Null(state.CurrentlySyncing);
        Assert.NotNull(state.Get("issues", Bookmarks.Updated));
        Assert.NotNull(state.Get("worklogs", Bookmarks.Updated));
    }

    [Fact]
    public async Task Every_STATE_of_a_concurrent_run_resumes_to_the_complete_key_set()
    {
        await using var h = await StartAsync(issuesPerProject: 5);
        var config = h.Config with { MaxParallelStreams = 8 };
        var full = await h.RunAsync(Everything(), config: config);
        Assert.Null(full.Error);
        var expected = h.Simulator.Control.ExpectedKeys();

        // Each STATE as if the run had been killed right after it: the records before it were loaded, then a new run
        // starts from it. Together they must hold every key. (The last STATE is the finished run's.)
        // A STATE equal to an earlier one resumes the same way with more records loaded before it: only the first counts.
        var states = full.Messages.Select((m, i) => (m, i)).Where(p => p.m is StateMessage)
            .DistinctBy(p => ((StateMessage)p.m).Value.ToJsonString()).Select(p => p.i).ToList();
        Assert.True(states.Count is > 10 and < 80, $"{states.Count} STATE messages");
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        // Resumed four at a time (each run only reads the simulator): seconds, not half a minute.
        await Parallel.ForEachAsync(states.Take(states.Count - 1), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (at, _) =>
        {
            var loaded = full.KeysFrom(full, full.Messages.Take(at).OfType<RecordMessage>());
            var resumed = await h.RunAsync(Everything(), ((StateMessage)full.Messages[at]).Value, config: config);
            if (resumed.Error is { } e) { failures.Add($"STATE at message {at}: {e.Message}"); return; }
            foreach (var (s, keys) in resumed.Keys()) loaded[s] = [.. loaded.GetValueOrDefault(s) ?? [], .. keys];
            foreach (var (stream, want) in expected)
            {
                var got = loaded.GetValueOrDefault(stream) ?? [];
                if (!want.SetEquals(got))
                    failures.Add($"STATE at message {at}: {stream} {want.Count} expected, {got.Count} after resuming; missing [{string.Join(",", want.Except(got).Take(3))}]");
            }
        });
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
    }

    /// <summary>Counts the units in flight at once.</summary>
    private sealed class OverlapObserver : ITapUnitObserver
    {
        private int _running, _peak;
        public int Peak => Volatile.Read(ref _peak);

        public void UnitStarted(string unit)
        {
            var now = Interlocked.Increment(ref _running);
            int peak;
            while (now > (peak = Volatile.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, peak) != peak) { }
        }

        public void UnitFinished(string unit, Exception? error) => Interlocked.Decrement(ref _running);
    }
}
