using System.Buffers;

namespace SharpCache.Client;

/// <summary>
/// Hashes the preprocessor's stdout as it streams. With an active <see cref="BasedirMapper"/>,
/// the base directory is replaced in linemarker lines only (<c># 12 "/base/x.h" 2</c>): text
/// elsewhere, such as a <c>__FILE__</c> string, stays as it is, so an object that embeds its
/// checkout's path is never shared with another checkout. <see cref="BasedirOutsideLinemarkers"/>
/// tells whether that happened. The text reaches BLAKE3 in blocks of <see cref="BlockSize"/>: the pipe hands
/// it over a few KiB at a time, and hashed in such pieces it goes at a quarter of the speed (no SIMD across chunks).
/// </summary>
internal sealed class PreprocessedTextHasher : IDisposable
{
    private static readonly byte[] PlaceholderBytes = System.Text.Encoding.UTF8.GetBytes(BasedirMapper.Placeholder);

    private readonly BasedirMapper _mapper;
    private const int BlockSize = 128 * 1024;

    private Blake3.Hasher _hasher = Blake3.Hasher.New();
    private byte[] _partial = ArrayPool<byte>.Shared.Rent(4096);
    private int _partialLength;
    private byte[] _block = ArrayPool<byte>.Shared.Rent(BlockSize);
    private int _blockLength;

    public PreprocessedTextHasher(BasedirMapper mapper) => _mapper = mapper;

    public bool BasedirOutsideLinemarkers { get; private set; }

    public void Feed(ReadOnlySpan<byte> chunk)
    {
        if (!_mapper.IsActive)
        {
            Hash(chunk);
            return;
        }

        while (!chunk.IsEmpty)
        {
            var newline = chunk.IndexOf((byte)'\n');
            if (newline < 0)
            {
                AppendPartial(chunk);
                return;
            }

            var piece = chunk[..(newline + 1)];
            if (_partialLength > 0)
            {
                AppendPartial(piece);
                ProcessLine(_partial.AsSpan(0, _partialLength));
                _partialLength = 0;
            }
            else
            {
                ProcessLine(piece);
            }

            chunk = chunk[(newline + 1)..];
        }
    }

    /// <summary>Hex digest of the (normalised) text.</summary>
    public string Finish()
    {
        if (_partialLength > 0)
        {
            ProcessLine(_partial.AsSpan(0, _partialLength));
            _partialLength = 0;
        }

        _hasher.Update(_block.AsSpan(0, _blockLength));
        _blockLength = 0;
        return Convert.ToHexStringLower(_hasher.Finalize().AsSpan());
    }

    public void Dispose()
    {
        _hasher.Dispose();
        ArrayPool<byte>.Shared.Return(_partial);
        _partial = [];
        ArrayPool<byte>.Shared.Return(_block);
        _block = [];
    }

    private void Hash(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            if (_blockLength == 0 && data.Length >= BlockSize)
            {
                var whole = data.Length - (data.Length % BlockSize);
                _hasher.Update(data[..whole]);
                data = data[whole..];
                continue;
            }

            var n = Math.Min(data.Length, BlockSize - _blockLength);
            data[..n].CopyTo(_block.AsSpan(_blockLength));
            _blockLength += n;
            data = data[n..];
            if (_blockLength == BlockSize)
            {
                _hasher.Update(_block.AsSpan(0, BlockSize));
                _blockLength = 0;
            }
        }
    }

    private void ProcessLine(ReadOnlySpan<byte> line)
    {
        var basedir = _mapper.BasedirBytes;
        var at = line.IndexOf(basedir);
        if (at < 0)
        {
            Hash(line);
            return;
        }

        if (!IsLinemarker(line))
        {
            BasedirOutsideLinemarkers = true;
            Hash(line);
            return;
        }

        // In a linemarker the path follows the first quote.
        var quote = line.IndexOf((byte)'"');
        if (quote >= 0 && at == quote + 1)
        {
            Hash(line[..at]);
            Hash(PlaceholderBytes);
            Hash(line[(at + basedir.Length)..]);
        }
        else
        {
            Hash(line);
        }
    }

    private static bool IsLinemarker(ReadOnlySpan<byte> line) =>
        line.Length > 2 && line[0] == (byte)'#' && (line[1] == (byte)' ' && char.IsAsciiDigit((char)line[2]) || line[1..].StartsWith("line "u8));

    private void AppendPartial(ReadOnlySpan<byte> data)
    {
        if (_partialLength + data.Length > _partial.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_partial.Length * 2, _partialLength + data.Length));
            _partial.AsSpan(0, _partialLength).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_partial);
            _partial = bigger;
        }

        data.CopyTo(_partial.AsSpan(_partialLength));
        _partialLength += data.Length;
    }
}
