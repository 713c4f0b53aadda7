using System.Text.Json;
using Microsoft.IO;

namespace JiraSync.Jira;

/// <summary>
/// Response bodies read into pooled blocks (Microsoft.IO.RecyclableMemoryStream); JiraClient parses them over pooled
/// memory too and keeps only what the caller copies out. An issue page is a few MB: read with <c>ReadAsByteArrayAsync</c> each page left a growing
/// buffer, the body array and an 8 MB pooled token index (JsonDocument rents its index from ArrayPool at the
/// body's size rounded up to a power of two, never returned when the document is not disposed) on the large object
/// heap, freed only by a full collection; the pages in flight and the garbage between full collections made most of
/// the tap's peak memory (bench/RESULTS.md "Memory").
/// </summary>
internal static class ResponseBodies
{
    /// <summary>Blocks of 64 KiB stay below the large object heap's 85,000 bytes; up to 48 MB of free blocks are kept
    /// (eight concurrent 4.6 MB issue pages use about 37 MB), any beyond that are left to the garbage collector.</summary>
    private static readonly RecyclableMemoryStreamManager Pool = new(new RecyclableMemoryStreamManager.Options
    {
        BlockSize = 64 * 1024,
        LargeBufferMultiple = 1024 * 1024,
        MaximumBufferSize = 16 * 1024 * 1024,
        MaximumSmallPoolFreeBytes = 48L * 1024 * 1024,
        MaximumLargePoolFreeBytes = 16L * 1024 * 1024,
    });

    /// <summary>Reads <paramref name="content"/> to its end (decompressed) into pooled blocks. The caller disposes the
    /// stream, which gives the blocks back.</summary>
    /// <param name="content">A response's content.</param>
    /// <param name="ct">Cancels the read.</param>
    /// <exception cref="HttpRequestException">The connection failed while reading.</exception>
    /// <exception cref="IOException">The connection dropped while reading.</exception>
    public static async Task<RecyclableMemoryStream> ReadAsync(HttpContent content, CancellationToken ct)
    {
        var body = Pool.GetStream("jira-response");
        try
        {
            await content.CopyToAsync(body, ct).ConfigureAwait(false);
            return body;
        }
        catch
        {
            await body.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The body as one span, for the short error bodies quoted in messages (a body of one block is not copied).</summary>
    /// <param name="body">A body from <see cref="ReadAsync"/>, not yet disposed.</param>
    public static ReadOnlySpan<byte> Span(RecyclableMemoryStream body) => body.GetBuffer().AsSpan(0, (int)body.Length);
}
