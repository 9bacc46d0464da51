using System.Formats.Tar;

namespace SharpCache.Dist.Protocol;

/// <summary>
/// A compile's inputs as the ustar archive a build server unpacks, without copying their contents: <see cref="TarWriter"/>
/// writes each header, padding and the end blocks into small buffers, and each content is handed over as the request's own
/// memory (a slice of the frame the client sent). A C++ unit's megabytes of text were copied twice on their way
/// to the server's request body (decoded from the frame, then into the archive); now the socket write is the only copy.
/// </summary>
public static class InputsTar
{
    private const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>The archive of <paramref name="inputs"/> at their absolute paths without the leading <c>/</c>, as the server unpacks them under its job root.</summary>
    public static SegmentStream Build(IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>>> inputs)
    {
        var sink = new SegmentSink();
        using (var writer = new TarWriter(sink, TarEntryFormat.Ustar, leaveOpen: true))
        {
            foreach (var (path, content) in inputs)
            {
                writer.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, path.TrimStart('/'))
                {
                    Mode = Mode,
                    ModificationTime = DateTimeOffset.UnixEpoch,
                    DataStream = new ContentStream(content),
                });
            }
        }

        return new SegmentStream(sink.Complete());
    }

    /// <summary>
    /// What <see cref="TarWriter"/> writes to: its own small writes (headers, padding, end blocks) are gathered into buffers;
    /// a <see cref="ContentStream"/> copied to it is kept as the memory it is.
    /// </summary>
    private sealed class SegmentSink : Stream
    {
        private readonly List<ReadOnlyMemory<byte>> _segments = [];
        private readonly MemoryStream _pending = new();

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public void Add(ReadOnlyMemory<byte> content)
        {
            FlushPending();
            if (!content.IsEmpty)
            {
                _segments.Add(content);
            }
        }

        public List<ReadOnlyMemory<byte>> Complete()
        {
            FlushPending();
            return _segments;
        }

        public override void Write(ReadOnlySpan<byte> buffer) => _pending.Write(buffer);

        public override void Write(byte[] buffer, int offset, int count) => _pending.Write(buffer, offset, count);

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        private void FlushPending()
        {
            if (_pending.Length > 0)
            {
                _segments.Add(_pending.ToArray());
                _pending.SetLength(0);
            }
        }
    }

    /// <summary>One input's content as the seekable stream <see cref="TarWriter"/> sizes its entry by; copied to a <see cref="SegmentSink"/>, it is handed over, not copied.</summary>
    private sealed class ContentStream(ReadOnlyMemory<byte> content) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => false;

        public override long Length => content.Length;

        public override long Position
        {
            get => _position;
            set => _position = (int)Math.Clamp(value, 0, content.Length);
        }

        public override void CopyTo(Stream destination, int bufferSize)
        {
            var rest = content[_position..];
            _position = content.Length;
            if (destination is SegmentSink sink)
            {
                sink.Add(rest);
            }
            else
            {
                destination.Write(rest.Span);
            }
        }

        public override int Read(Span<byte> buffer)
        {
            var count = Math.Min(buffer.Length, content.Length - _position);
            content.Span.Slice(_position, count).CopyTo(buffer);
            _position += count;
            return count;
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => content.Length + offset,
        };

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
