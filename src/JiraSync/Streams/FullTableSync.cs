using System.Text.Json.Nodes;
using JiraSync.Logging;
using JiraSync.Singer;

namespace JiraSync.Streams;

/// <summary>
/// The FULL_TABLE protocol around one stream (tap-mysql's convention, singer-notes.md §2): a table
/// version (epoch ms) kept in the stream's bookmark while it runs, so a resumed run continues the
/// same version; ACTIVATE_VERSION before the records on the very first sync and after the last
/// record always, so targets can drop rows that disappeared. When part of the stream could not be
/// read (a project the user may not see) the closing ACTIVATE_VERSION is withheld: a partial read
/// must not make a target delete rows.
/// </summary>
internal sealed class FullTableSync(TapContext ctx, string stream)
{
    public bool Incomplete { get; private set; }

    /// <summary>Part of the stream could not be read: rows stay as they are (no closing ACTIVATE_VERSION).</summary>
    /// <param name="why">The one warning line naming what was skipped, or null when it was already logged.</param>
    /// <param name="warn">Log <paramref name="why"/> as a warning (false when the caller already did).</param>
    public void MarkIncomplete(string? why = null, bool warn = true)
    {
        Incomplete = true;
        if (warn && why != null) ctx.Log.Warn($"{stream}: {why}");
    }

    public async Task RunAsync(Func<FullTableSync, CancellationToken, Task> produce, CancellationToken ct)
    {
        var state = ctx.Output.State;
        var selected = ctx.Output.IsSelected(stream);
        long version = 0;
        if (selected)
        {
            version = state.Get(stream, Bookmarks.Version) ?? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var firstSync = !state.Get(stream, Bookmarks.InitialFullTableComplete);
            state.Set(stream, Bookmarks.Version, version);
            ctx.Output.SetVersion(stream, version);
            await ctx.Output.StateAsync(ct);
            if (firstSync) await ctx.Output.ActivateVersionAsync(stream, version, ct);
        }
        await produce(this, ct);
        if (!selected) return;
        if (!Incomplete) await ctx.Output.ActivateVersionAsync(stream, version, ct);
        else ctx.Log.Info($"{stream}: not every record could be read, so no ACTIVATE_VERSION (rows stay as they are)");
        state.Clear(stream, Bookmarks.Version);
        state.Set(stream, Bookmarks.InitialFullTableComplete);
        ctx.Output.SetVersion(stream, null);
        await ctx.Output.StateAsync(ct);
    }

    public ValueTask<bool> EmitAsync(JsonObject record, DateTimeOffset extracted, CancellationToken ct) =>
        ctx.Output.RecordAsync(stream, record, extracted, ct);
}
