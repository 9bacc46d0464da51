using System.Buffers;

namespace SharpCache.Client;

/// <summary>
/// Hashes the preprocessor's stdout as it streams. With an active <see cref="BasedirMapper"/>,
/// the base directory is replaced in linemarker lines only (<c># 12 "/base/x.h" 2</c>): text
/// elsewhere, such as a <c>__FILE__</c> string, stays as it is, so an object that embeds its
/// checkout's path is never shared with another checkout. <see cref="BasedirOutsideLinemarkers"/>
/// tells whether that happened.
/// </summary>
internal sealed class PreprocessedTextHasher : IDisposable
{
    private static readonly byte[] PlaceholderBytes = System.Text.Encoding.UTF8.GetBytes(BasedirMapper.Placeholder);

    private readonly BasedirMapper _mapper;
    private Blake3.Hasher _hasher = Blake3.Hasher.New();
    private byte[] _partial = ArrayPool<byte>.Shared.Rent(4096);
    private int _partialLength;

    public PreprocessedTextHasher(BasedirMapper mapper) => _mapper = mapper;

    public bool BasedirOutsideLinemarkers { get; private set; }

    public void Feed(ReadOnlySpan<byte> chunk)
    {
        if (!_mapper.IsActive)
        {
            _hasher.Update(chunk);
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

        return Convert.ToHexStringLower(_hasher.Finalize().AsSpan());
    }

    public void Dispose()
    {
        _hasher.Dispose();
        ArrayPool<byte>.Shared.Return(_partial);
        _partial = [];
    }

    private void ProcessLine(ReadOnlySpan<byte> line)
    {
        var basedir = _mapper.BasedirBytes;
        var at = line.IndexOf(basedir);
        if (at < 0)
        {
            _hasher.Update(line);
            return;
        }

        if (!IsLinemarker(line))
        {
            BasedirOutsideLinemarkers = true;
            _hasher.Update(line);
            return;
        }

        // In a linemarker the path follows the first quote.
        var quote = line.IndexOf((byte)'"');
        if (quote >= 0 && at == quote + 1)
        {
            _hasher.Update(line[..at]);
            _hasher.Update(PlaceholderBytes);
            _hasher.Update(line[(at + basedir.Length)..]);
        }
        else
        {
            _hasher.Update(line);
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
