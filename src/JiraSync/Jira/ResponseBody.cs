using System.Buffers;

namespace JiraSync.Jira;

/// <summary>
/// A response body read into 64 KiB blocks rented from <see cref="ArrayPool{T}.Shared"/>, below the large object heap's
/// 85,000 bytes. An issue page is a few MB: read with <c>ReadAsByteArrayAsync</c>, each page left a growing buffer, the
/// body array and an 8 MB pooled token index (JsonDocument rents its index at the body's size rounded up to a power of
/// two, never returned when the document is not disposed) on the large object heap, freed only by a full collection;
/// those and the pages waiting to be written made most of the tap's peak memory (bench/RESULTS.md "Memory").
/// (Microsoft.IO.RecyclableMemoryStream does the same, but its event source is not clean for the Native AOT tap.)
/// One owner, who disposes it once nothing refers to <see cref="Sequence"/> any more.
/// </summary>
internal sealed class ResponseBody : IDisposable
{
    private const int BlockSize = 64 * 1024;
    private readonly List<byte[]> _blocks = [];

    private ResponseBody() { }

    /// <summary>Bytes in the body (0 once disposed).</summary>
    public long Length { get; private set; }

    /// <summary>The body's bytes, valid until <see cref="Dispose"/>.</summary>
    public ReadOnlySequence<byte> Sequence
    {
        get
        {
            if (Length == 0) return ReadOnlySequence<byte>.Empty;
            if (_blocks.Count == 1) return new ReadOnlySequence<byte>(_blocks[0], 0, (int)Length);
            Segment first = new(_blocks[0].AsMemory(0, Math.Min(BlockSize, (int)Length)), 0), last = first;
            for (var i = 1; i < _blocks.Count; i++)
                last = last.Append(_blocks[i].AsMemory(0, (int)Math.Min(BlockSize, Length - (long)i * BlockSize)));
            return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
        }
    }

    /// <summary>Reads <paramref name="content"/> to its end (decompressed, as HttpClient hands it over).</summary>
    /// <param name="content">A response's content.</param>
    /// <param name="ct">Cancels the read.</param>
    /// <exception cref="HttpRequestException">The connection failed while reading.</exception>
    /// <exception cref="IOException">The connection dropped while reading.</exception>
    public static async Task<ResponseBody> ReadAsync(HttpContent content, CancellationToken ct)
    {
        var body = new ResponseBody();
        try
        {
            await using var stream = await content.ReadAsStreamAsync(ct).ConfigureAwait(false);
            var filled = BlockSize;
            while (true)
            {
                if (filled == BlockSize)
                {
                    body._blocks.Add(ArrayPool<byte>.Shared.Rent(BlockSize));
                    filled = 0;
                }
                var read = await stream.ReadAsync(body._blocks[^1].AsMemory(filled, BlockSize - filled), ct).ConfigureAwait(false);
                if (read == 0) return body;
                filled += read;
                body.Length += read;
            }
        }
        catch
        {
            body.Dispose();
            throw;
        }
    }

    /// <summary>The first <paramref name="max"/> bytes at most, for the short error bodies quoted in messages.</summary>
    /// <param name="max">The most bytes wanted.</param>
    public byte[] Head(int max = 64 * 1024)
    {
        var sequence = Sequence;
        return sequence.Slice(0, Math.Min(sequence.Length, max)).ToArray();
    }

    /// <summary>Gives the blocks back to the pool; the body is empty from then on.</summary>
    public void Dispose()
    {
        foreach (var block in _blocks) ArrayPool<byte>.Shared.Return(block);
        _blocks.Clear();
        Length = 0;
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        /// <summary>A block of the body; <paramref name="runningIndex"/> is its first byte's offset in the whole body.</summary>
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        /// <summary>Links the next block after this one and returns it.</summary>
        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
