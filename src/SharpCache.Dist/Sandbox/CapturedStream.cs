namespace SharpCache.Dist.Sandbox;

/// <summary>
/// A sandboxed compiler's stdout or stderr: in memory up to <see cref="InMemoryLimit"/> (a compile's diagnostics, nearly
/// always), the rest spilled to a file in the job directory; bytes past the server's output limit are read and dropped, so
/// the compiler never blocks on a full pipe.
/// </summary>
internal sealed class CapturedStream
{
    public const int InMemoryLimit = 1 << 20;

    private byte[] _memory = [];
    private int _memoryLength;
    private string? _spillPath;

    /// <summary>Bytes kept (at most the output limit).</summary>
    public long Length { get; private set; }

    /// <summary>The bytes when all of them are in memory; null when they were spilled to a file.</summary>
    public ReadOnlyMemory<byte>? InMemory => _spillPath is null ? new ReadOnlyMemory<byte>(_memory, 0, _memoryLength) : default(ReadOnlyMemory<byte>?);

    public static async Task<CapturedStream> CaptureAsync(Stream source, string spillPath, long max)
    {
        var captured = new CapturedStream();
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(16 * 1024);
        FileStream? spill = null;
        try
        {
            int read;
            while ((read = await source.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                var keep = (int)Math.Min(read, max - captured.Length);
                if (keep <= 0)
                {
                    continue;
                }

                if (spill is null && captured._memoryLength + keep <= InMemoryLimit)
                {
                    captured.Append(buffer.AsSpan(0, keep));
                }
                else
                {
                    if (spill is null)
                    {
                        spill = new FileStream(spillPath, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024);
                        spill.Write(captured._memory, 0, captured._memoryLength);
                        captured._spillPath = spillPath;
                        captured._memory = [];
                        captured._memoryLength = 0;
                    }

                    spill.Write(buffer, 0, keep);
                }

                captured.Length += keep;
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
}
