using System.Buffers;
using System.Text.Json;
using JiraSync.Simulator.Model;
using Microsoft.AspNetCore.Http;

namespace JiraSync.Simulator.Http;

/// <summary>Renders a response body under the store's read lock into a buffer, then sends it outside the lock.</summary>
public static class JsonOut
{
    internal static readonly JsonWriterOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task Send(HttpContext ctx, SimulatorStore store, Action<Utf8JsonWriter> render, int status = 200)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        store.Read(_ =>
        {
            using var w = new Utf8JsonWriter(buffer, Options);
            render(w);
            w.Flush();
            return 0;
        });
        await SendBytes(ctx, buffer.WrittenMemory, status);
    }

    /// <summary>Renders without taking the lock (for bodies that do not read the store).</summary>
    public static Task SendUnlocked(HttpContext ctx, Action<Utf8JsonWriter> render, int status = 200)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer, Options)) render(w);
        return SendBytes(ctx, buffer.WrittenMemory, status);
    }

    public static async Task SendBytes(HttpContext ctx, ReadOnlyMemory<byte> body, int status)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json;charset=UTF-8";
        await ctx.Response.Body.WriteAsync(body);
    }

    /// <summary>Jira's ErrorCollection body: {"errorMessages":[...],"errors":{}}.</summary>
    public static Task Error(HttpContext ctx, int status, string message) => SendUnlocked(ctx, w =>
    {
        w.WriteStartObject();
        w.WriteStartArray("errorMessages"); w.WriteStringValue(message); w.WriteEndArray();
        w.WriteStartObject("errors"); w.WriteEndObject();
        w.WriteEndObject();
    }, status);
}
