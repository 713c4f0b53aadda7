using JiraSync.Singer;

namespace JiraSync.Streams;

/// <summary>Checks a state given to the tap against the streams this tap offers, like <see cref="CatalogValidator"/>
/// does for catalogs: a bookmark or currently_syncing naming a stream we do not have is a state from another tap or
/// a typo, and would otherwise be ignored silently (exit 2, one line).</summary>
public static class StateValidator
{
    /// <summary>Returns when every stream the state names is one of ours.</summary>
    /// <param name="state">The parsed state.</param>
    /// <param name="source">Names it in the message, e.g. "state state.json".</param>
    /// <exception cref="SingerFormatException">A bookmark or currently_syncing names an unknown stream (exit 2).</exception>
    public static void Validate(TapState state, string source)
    {
        var names = string.Join(", ", StreamRegistry.All.Select(s => s.Name));
        foreach (var stream in state.BookmarkedStreams)
            if (StreamRegistry.Find(stream) is null)
                throw new SingerFormatException($"{source}: bookmarks name the unknown stream '{stream}' (streams: {names}); remove it, or give the state this tap wrote");
        if (state.CurrentlySyncing is { } cs && StreamRegistry.Find(cs) is null)
            throw new SingerFormatException($"{source}: currently_syncing names the unknown stream '{cs}' (streams: {names})");
    }
}
