namespace SharpCache.Dist.Sandbox;

/// <summary>
/// A sandboxed compiler's stdout or stderr: in memory up to <see cref="InMemoryLimit"/> (a compile's diagnostics, nearly
/// always), the rest spilled to a file in the job directory; bytes past the server's output limit are read and dropped, so
/// the compiler never blocks on a full pipe. With an end marker (a prepared sandbox's runner), the stream ends at the
/// runner's trailer — NUL, the marker, the job's exit status as three digits — instead of at end of file.
/// </summary>
internal sealed class CapturedStream
{
    public const int InMemoryLimit = 1 << 20;

    /// <summary>Digits of the exit status at the end of a trailer.</summary>
    private const int StatusDigits = 3;

    private byte[] _memory = [];
    private int _memoryLength;
    private string? _spillPath;

    /// <summary>Bytes kept (at most the output limit).</summary>
    public long Length { get; private set; }

    /// <summary>The job's exit status from the runner's trailer; null when the stream ended without one (at end of file).</summary>
    public int? EndStatus { get; private set; }

    /// <summary>The bytes when all of them are in memory; null when they were spilled to a file.</summary>
    public ReadOnlyMemory<byte>? InMemory => _spillPath is null ? new ReadOnlyMemory<byte>(_memory, 0, _memoryLength) : default(ReadOnlyMemory<byte>?);

    /// <summary>
    /// Reads <paramref name="source"/> to its end: end of file, or with <paramref name="endMarker"/> the runner's trailer
    /// (left out of the bytes kept, its status in <see cref="EndStatus"/>; the rest of the stream is not read).
    /// </summary>
    public static async Task<CapturedStream> CaptureAsync(Stream source, string spillPath, long max, string? endMarker = null)
    {
        var captured = new CapturedStream();
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(16 * 1024);
        var trailer = endMarker is null ? null : new Trailer(endMarker);
        var limit = max + (trailer?.Length ?? 0); // room for the trailer, cut off at the end
        FileStream? spill = null;
        try
        {
            int read;
            while ((read = await source.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                var ended = trailer is not null && trailer.Seen(buffer.AsSpan(0, read));
                captured.Keep(buffer.AsSpan(0, read), limit, spillPath, ref spill);
                if (ended)
                {
                    captured.EndStatus = trailer!.Status;
                    break;
                }
            }

            var content = trailer is null ? captured.Length : captured.EndStatus is null ? Math.Min(captured.Length, max) : Math.Min(trailer.Total - trailer.Length, max);
            if (content < captured.Length)
            {
                captured.Truncate(content, spill);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            if (spill is not null)
            {
                await spill.DisposeAsync().ConfigureAwait(false);
            }
        }

        return captured;
    }

    /// <summary>Keeps what fits under <paramref name="max"/> of <paramref name="data"/>: in memory, or in the spill file once that is too much.</summary>
    private void Keep(ReadOnlySpan<byte> data, long max, string spillPath, ref FileStream? spill)
    {
        var keep = (int)Math.Min(data.Length, max - Length);
        if (keep <= 0)
        {
            return;
        }

        if (spill is null && _memoryLength + keep <= InMemoryLimit)
        {
            Append(data[..keep]);
        }
        else
        {
            if (spill is null)
            {
                spill = new FileStream(spillPath, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024);
                spill.Write(_memory, 0, _memoryLength);
                _spillPath = spillPath;
                _memory = [];
                _memoryLength = 0;
            }

            spill.Write(data[..keep]);
        }

        Length += keep;
    }

    private void Truncate(long length, FileStream? spill)
    {
        if (spill is null)
        {
            _memoryLength = (int)length;
        }
        else
        {
            spill.SetLength(length);
        }

        Length = length;
    }

    /// <summary>The bytes as a stream (memory or the spill file).</summary>
    public Stream Open() => _spillPath is null ? new MemoryStream(_memory, 0, _memoryLength, writable: false) : File.OpenRead(_spillPath);

    /// <summary>The first bytes as text, for error messages.</summary>
    public string Text(int maxBytes = 4096)
    {
        using var stream = Open();
        var head = new byte[(int)Math.Min(Length, maxBytes)];
        var n = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        return System.Text.Encoding.UTF8.GetString(head, 0, n);
    }

    private void Append(ReadOnlySpan<byte> data)
    {
        if (_memoryLength + data.Length > _memory.Length)
        {
            var bigger = new byte[Math.Min(InMemoryLimit, Math.Max(_memoryLength + data.Length, Math.Max(4096, _memory.Length * 2)))];
            _memory.AsSpan(0, _memoryLength).CopyTo(bigger);
            _memory = bigger;
        }

        data.CopyTo(_memory.AsSpan(_memoryLength));
        _memoryLength += data.Length;
    }

    /// <summary>Watches a stream's last bytes for the runner's trailer: NUL, the marker, three digits.</summary>
    private sealed class Trailer
    {
        private readonly byte[] _expected;
        private readonly byte[] _last;
        private int _filled;

        public Trailer(string marker)
        {
            _expected = [0, .. System.Text.Encoding.ASCII.GetBytes(marker)];
            _last = new byte[_expected.Length + StatusDigits];
        }

        public int Length => _last.Length;

        /// <summary>Bytes seen in all.</summary>
        public long Total { get; private set; }

        /// <summary>The status digits of the trailer last seen.</summary>
        public int Status { get; private set; }

        /// <summary>Takes the next bytes read; true when they end with a trailer.</summary>
        public bool Seen(ReadOnlySpan<byte> data)
        {
            Total += data.Length;
            if (data.Length >= _last.Length)
            {
                data[^_last.Length..].CopyTo(_last);
                _filled = _last.Length;
            }
            else
            {
                var keep = Math.Min(_filled, _last.Length - data.Length);
                _last.AsSpan(_filled - keep, keep).CopyTo(_last);
                data.CopyTo(_last.AsSpan(keep));
                _filled = keep + data.Length;
            }

            if (_filled < _last.Length || !_last.AsSpan(0, _expected.Length).SequenceEqual(_expected))
            {
                return false;
            }

            var status = 0;
            foreach (var digit in _last.AsSpan(_expected.Length))
            {
                if (digit is < (byte)'0' or > (byte)'9')
                {
                    return false;
                }

                status = (status * 10) + (digit - '0');
            }

            Status = status;
            return true;
        }
    }
}
