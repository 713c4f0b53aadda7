using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;
using JiraSync.Simulator.Model;

namespace JiraSync.Simulator.Rendering;

/// <summary>Writes simulator entities as Jira REST v2 JSON straight into a Utf8JsonWriter (no
/// intermediate DOM). Split by entity family over partial files. Callers hold the store's read lock.</summary>
public sealed partial class Renderer(SimulatorStore store)
{
    public SimulatorStore Store { get; } = store;
    private readonly ConcurrentDictionary<(string Kind, long Id), byte[]> _fragments = new();
    private string _baseUrl = "https://127.0.0.1/";

    /// <summary>Base URL with trailing slash, e.g. https://127.0.0.1:5443/. Set once Kestrel has bound its port.</summary>
    public string BaseUrl
    {
        get => _baseUrl;
        internal set { _baseUrl = value; Api = value + "rest/api/2/"; _fragments.Clear(); }
    }

    /// <summary>Writes an immutable fragment (a user, a status, a project reference…) from a cache of its
    /// encoded bytes: an issue page embeds the same few objects thousands of times.</summary>
    private void Fragment(Utf8JsonWriter w, string kind, long id, Action<Utf8JsonWriter> write)
    {
        var bytes = _fragments.GetOrAdd((kind, id), _ =>
        {
            var buffer = new ArrayBufferWriter<byte>(512);
            using (var inner = new Utf8JsonWriter(buffer, Http.JsonOut.Options)) write(inner);
            return buffer.WrittenSpan.ToArray();
        });
        w.WriteRawValue(bytes, skipInputValidation: true);
    }
    /// <summary>The REST v2 root, kept with <see cref="BaseUrl"/>: every self link of every entity starts with it.</summary>
    public string Api { get; private set; } = "https://127.0.0.1/rest/api/2/";
    private bool Cloud => Store.Options.Deployment == Deployment.Cloud;
    private JiraTime Time => Store.Time;

    private void Timestamp(Utf8JsonWriter w, string name, long? ms)
    {
        if (ms is { } v) w.WriteString(name, Time.Format(v));
        else w.WriteNull(name);
    }

    private static void StringOrNull(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null) w.WriteNull(name);
        else w.WriteString(name, value);
    }

    private void AvatarUrls(Utf8JsonWriter w, string kind, long id)
    {
        w.WriteStartObject("avatarUrls");
        foreach (var (size, suffix) in new[] { ("48x48", ""), ("24x24", "?size=small"), ("16x16", "?size=xsmall"), ("32x32", "?size=medium") })
            w.WriteString(size, $"{BaseUrl}rest/api/2/universal_avatar/view/type/{kind}/avatar/{id}{suffix}");
        w.WriteEndObject();
    }
}
