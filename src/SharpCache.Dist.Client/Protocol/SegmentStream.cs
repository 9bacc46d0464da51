namespace SharpCache.Dist.Protocol;

/// <summary>
/// A read-only, seekable stream over memory segments read in order (<see cref="InputsTar"/>). Copied to another stream,
/// each segment is written as it is: no intermediate buffer between the request's memory and the socket.
/// </summary>
public sealed class SegmentStream(IReadOnlyList<ReadOnlyMemory<byte>> segments) : Stream
{
    private readonly long _length = segments.Sum(s => (long)s.Length);
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set => _position = Math.Clamp(value, 0, _length);
    }

    public override int Read(Span<byte> buffer)
    {
        var copied = 0;
        var start = 0L;
        foreach (var segment in segments)
        {
            if (copied == buffer.Length)
            {
                break;
            }

            var end = start + segment.Length;
            if (_position < end)
            {
                var from = (int)(_position - start);
                var count = Math.Min(segment.Length - from, buffer.Length - copied);
                segment.Span.Slice(from, count).CopyTo(buffer[copied..]);
                copied += count;
                _position += count;
            }

            start = end;
        }

        return copied;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override async Task CopyToAsync(Stream destination, int bufferSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        foreach (var rest in TakeRest())
        {
            await destination.WriteAsync(rest, cancellationToken).ConfigureAwait(false);
        }
    }

    public override void CopyTo(Stream destination, int bufferSize)
    {
        ArgumentNullException.ThrowIfNull(destination);
        foreach (var rest in TakeRest())
        {
            destination.Write(rest.Span);
        }
    }

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        _ => _length + offset,
    };

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>What is left to read, a segment (or its rest) at a time; the position moves past each as it is handed out.</summary>
    private IEnumerable<ReadOnlyMemory<byte>> TakeRest()
    {
        var start = 0L;
        foreach (var segment in segments)
        {
            var end = start + segment.Length;
            if (_position < end)
            {
                var rest = segment[(int)(_position - start)..];
                _position = end;
                yield return rest;
            }

            start = end;
        }
    }
}
