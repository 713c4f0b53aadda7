using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using JiraSync.Jira;
using JiraSync.Jira.Paging;
using JiraSync.Json;
using JiraSync.Logging;

namespace JiraSync.Streams;

/// <summary>One record of a declared stream and when it was read. Shared by every unit that reads the stream (its own
/// and its children's, which may run at the same time), so it is held as an immutable <see cref="JsonElement"/>:
/// a lazily built <see cref="JsonObject"/> is not safe to read from two threads. Each reader takes its own
/// <see cref="View"/>.</summary>
/// <param name="Item">The record, frozen.</param>
/// <param name="Extracted">When it was read.</param>
public sealed record ReadRecord(JsonElement Item, DateTimeOffset Extracted)
{
    /// <summary>A mutable record of its own over <see cref="Item"/> (the caller owns it).</summary>
    public JsonObject View() => JsonObject.Create(Item)!;
}

/// <summary>A declared stream's records as read in this run, and whether some partition was skipped
/// (its warning already logged once, when it was read).</summary>
internal sealed record StreamRead(IReadOnlyList<ReadRecord> Records, bool Incomplete);

/// <summary>
/// The generic fetcher: runs any stream of <see cref="StreamRegistry"/> that has a path, site-wide or once per
/// record of its parent stream (any parent: projects, boards, groups, issues…), as its declaration says: path
/// placeholders filled from the parent record, its pager, the answers that skip a partition, its record filter,
/// its Server/DC differences. Parent records are read once per run and shared (<see cref="TapContext.ReadAsync"/>);
/// per-parent requests run concurrently up to max_concurrency and keep the parents' order; a record listed under
/// several parents (a sprint shared by boards) is emitted once, under the first.
/// </summary>
internal static partial class DeclaredStreamFetcher
{
    /// <summary>Runs a FULL_TABLE declared stream as one unit.</summary>
    public static Task SyncAsync(TapContext ctx, StreamDefinition def, CancellationToken ct) =>
        new FullTableSync(ctx, def.Name).RunAsync(async (run, token) =>
        {
            var read = await ctx.ReadAsync(def, token);
            if (read.Incomplete) run.MarkIncomplete(warn: false);
            // Records are shared with child streams reading this one as their parent: each emission takes its own view.
            foreach (var record in read.Records)
                await run.EmitAsync(record.View(), record.Extracted, token);
        }, ct);

    /// <summary>Reads a whole declared stream (every parent's part), filtered and without repeated keys.
    /// Called through <see cref="TapContext.ReadAsync"/>, which keeps the result for the run.</summary>
    internal static async Task<StreamRead> ReadAllAsync(TapContext ctx, StreamDefinition def, CancellationToken ct)
    {
        var server = ctx.Instance.IsServer;
        if (!def.AvailableOn(server))
        {
            ctx.Log.Info($"{def.Name}: Jira Server/Data Center has no such list; nothing to read");
            return new StreamRead([], false);
        }
        var records = new List<(JsonObject Record, DateTimeOffset Extracted)>();
        var incomplete = false;
        if (def.Parent is null)
        {
            var part = await ReadPartAsync(ctx, def, null, ct);
            incomplete = part.Skipped;
            records.AddRange(part.Records.Select(r => (r, part.Extracted)));
        }
        else
        {
            var parents = await ctx.ReadAsync(StreamRegistry.Get(def.Parent), ct);
            incomplete = parents.Incomplete; // the parent's warning said it; its missing part is this stream's gap too
            var wanted = parents.Records.Select(p => p.View()).Where(p => def.ParentWhere?.Invoke(p) ?? true);
            await foreach (var part in OrderedConcurrency.MapAsync(wanted, (p, t) => ReadPartAsync(ctx, def, p, t), ctx.Concurrency, ct).WithCancellation(ct))
            {
                incomplete |= part.Skipped;
                records.AddRange(part.Records.Select(r => (r, part.Extracted)));
            }
        }
        var keys = def.KeysFor(server);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var unique = records.Where(r => seen.Add(string.Join("\u001f", keys.Select(k => r.Record[k]?.ToJsonString())))).ToList();
        if (def.Filter is { } filter)
        {
            var kept = filter(ctx, unique.Select(r => r.Record).ToList()).ToHashSet(ReferenceEqualityComparer.Instance);
            unique = unique.Where(r => kept.Contains(r.Record)).ToList();
        }
        // Frozen before it is shared (see ReadRecord).
        return new StreamRead(unique.Select(r => new ReadRecord(r.Record.ToElement(), r.Extracted)).ToList(), incomplete);
    }

    /// <summary>One partition's records.</summary>
    /// <param name="Records">The records, in Jira's order.</param>
    /// <param name="Extracted">When their answer arrived (UTC), their time_extracted.</param>
    /// <param name="Skipped">True when an answer the declaration lists as non-quiet skipped it (warning logged).</param>
    public sealed record Part(IReadOnlyList<JsonObject> Records, DateTimeOffset Extracted, bool Skipped);

    /// <summary>The records one request series gives: the whole stream (<paramref name="parent"/> null) or one parent's part.
    /// An error answer the declaration lists in <see cref="StreamDefinition.Skips"/> gives an empty part, logged as one
    /// warning line naming the parent (or nothing, for a quiet rule); any other error fails the run.</summary>
    public static async Task<Part> ReadPartAsync(TapContext ctx, StreamDefinition def, JsonObject? parent, CancellationToken ct)
    {
        var server = ctx.Instance.IsServer;
        var path = FillPath(def, parent, server);
        var records = new List<JsonObject>();
        try
        {
            await foreach (var item in Pager(ctx, def, server).ItemsAsync(ctx.Api, path, ct).WithCancellation(ct))
                records.Add(ToRecord(def, item, parent, server));
            return new Part(records, DateTimeOffset.UtcNow, false);
        }
        catch (JiraRequestException ex) when (def.Skips.FirstOrDefault(s => s.Matches(ex)) is { } rule)
        {
            // An internal stream's gap is its public child's: name that one (custom_field_options, not its contexts).
            var stream = def.Internal ? StreamRegistry.All.FirstOrDefault(d => d.Parent == def.Name)?.Name ?? def.Name : def.Name;
            // Per-issue streams would repeat one cause thousands of times (watching turned off site-wide): the first
            // issue is named in a warning, the others in debug lines.
            var repeated = def.Fetcher == FetcherKind.IssueFamily && !ctx.FirstSkip(stream, ex.StatusCode);
            if (!rule.Quiet && !repeated) ctx.Log.Warn($"{stream}: {Describe(def, parent, server)}answered {ex.StatusCode} for {path}; skipped ({Reason(ex)})");
            else ctx.Log.Debug($"{stream}: {Describe(def, parent, server)}answered {ex.StatusCode} for {path}; {(rule.Quiet ? "nothing to read there" : "skipped")}");
            return new Part([], DateTimeOffset.UtcNow, !rule.Quiet);
        }
    }

    /// <summary>The pager the declaration names.</summary>
    public static IJiraPager Pager(TapContext ctx, StreamDefinition def, bool server)
    {
        var itemsKey = def.ItemsKeyFor(server);
        return def.PagesFor(server) switch
        {
            PageKind.PlainArray => itemsKey is null ? PlainArrayPager.Instance : new PlainArrayPager(itemsKey),
            PageKind.PageBean => new PageBeanPager(def.PageSize ?? ctx.PageSize),
            PageKind.Agile => new AgilePager(def.PageSize ?? AgilePager.MaxPageSize),
            PageKind.OffsetList => new OffsetListPager(itemsKey ?? throw Misdeclared(def, "an offset list needs ItemsKey"), def.PageSize ?? ctx.PageSize),
            PageKind.Token => new TokenPager(itemsKey ?? throw Misdeclared(def, "token pages need ItemsKey")),
            _ => throw Misdeclared(def, "no page kind"),
        };
    }

    /// <summary>The path with "{name}" placeholders filled from the parent record (see <see cref="StreamDefinition.Path"/>).</summary>
    public static string FillPath(StreamDefinition def, JsonObject? parent, bool server)
    {
        var path = def.PathFor(server) ?? throw Misdeclared(def, "no path");
        if (parent is null) return path;
        var parentId = def.ParentIdPropertyFor(server);
        return Placeholder().Replace(path, m =>
        {
            var name = m.Groups[1].Value;
            var value = name == parentId ? ParentKey(def, parent, server) : parent[name];
            return Uri.EscapeDataString(Text(value) ?? throw Misdeclared(def, $"the parent record has no value for {{{name}}}"));
        });
    }

    /// <summary>A response item as a record: bare values wrapped under <see cref="StreamDefinition.ValueProperty"/>,
    /// the parent's id and declared parent properties added where Jira left them out.</summary>
    private static JsonObject ToRecord(StreamDefinition def, JsonElement item, JsonObject? parent, bool server)
    {
        JsonObject record;
        if (def.ValueProperty is { } valueProperty && item.ValueKind != JsonValueKind.Object)
            record = new JsonObject { [valueProperty] = JsonValue.Create(item) };
        else
            record = ToRecord(item);
        if (parent is null) return record;
        if (def.ParentIdPropertyFor(server) is { } parentId && record[parentId] is null)
            record[parentId] = AsSchemaType(def, parentId, ParentKey(def, parent, server)?.DeepClone());
        foreach (var name in def.ParentProperties)
            if (record[name] is null) record[name] = parent[name]?.DeepClone();
        return record;
    }

    /// <summary>A mutable record over a response item (JsonObject.Create wraps the element without re-parsing).</summary>
    public static JsonObject ToRecord(JsonElement item) =>
        item.ValueKind == JsonValueKind.Object ? JsonObject.Create(item)! : throw PageEnvelope.Unexpected("(list)", $"an item that is {item.ValueKind}, not an object");

    private static JsonNode? ParentKey(StreamDefinition def, JsonObject parent, bool server)
    {
        var parentDef = StreamRegistry.Get(def.Parent!);
        return parent[parentDef.KeysFor(server)[0]];
    }

    /// <summary>An id Jira writes as a string ("10000") becomes a number where the child's schema says integer.</summary>
    private static JsonNode? AsSchemaType(StreamDefinition def, string property, JsonNode? value)
    {
        if (def.Internal || value is not JsonValue v || !v.TryGetValue<string>(out var text)) return value;
        var type = SchemaStore.Get(def)["properties"]?[property]?["type"];
        var integer = type is JsonArray a ? a.Any(t => (string?)t == "integer") : (string?)type == "integer";
        return integer && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : value;
    }

    private static string Describe(StreamDefinition def, JsonObject? parent, bool server)
    {
        if (parent is null || def.Parent is null) return "";
        var noun = def.Parent.EndsWith('s') ? def.Parent[..^1] : def.Parent;
        var name = Text(parent["name"]);
        return $"{noun} {Text(ParentKey(def, parent, server)) ?? Text(parent["name"])}{(name is null ? "" : $" ({name})")} ";
    }

    private static string Reason(JiraRequestException ex) =>
        ex.StatusCode switch { 403 => "the user may not read it", 404 => "it does not exist or the user may not see it", _ => "Jira said it has nothing there" };

    private static string? Text(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v => v.ToJsonString(),
        _ => null,
    };

    private static InvalidOperationException Misdeclared(StreamDefinition def, string what) => new($"stream {def.Name} is misdeclared: {what}");

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex Placeholder();
}
