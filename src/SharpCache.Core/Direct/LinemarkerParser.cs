using System.Buffers;
using System.Text;

namespace SharpCache.Core.Direct;

/// <summary>
/// Collects the distinct files named by the linemarkers of gcc/clang preprocessed output
/// (<c># 12 "dir/file.h" 1 3 4</c> and <c>#line 12 "file"</c>), fed in chunks of any size.
/// Only lines that start with <c>#</c> are looked at; everything else is skipped with vectorised
/// searches for <c>"\n#"</c>. A string is allocated only for a path not seen before.
/// </summary>
internal sealed partial class LinemarkerParser
{
    /// <summary>A '#' line longer than this (a long <c>#define</c> under -dD) cannot be a linemarker worth keeping.</summary>
    private const int MaxLineLength = 64 * 1024;

    private readonly List<string> _files = [];
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _seenLookup;
    private byte[]? _line;
    private int _lineLength;
    private State _state = State.LineStart;

    public LinemarkerParser()
    {
        _seenLookup = _seen.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    private enum State
    {
        /// <summary>The next byte starts a line.</summary>
        LineStart,

        /// <summary>Inside a line that is not a linemarker.</summary>
        Skipping,

        /// <summary>Inside a '#' line that continues in the next chunk: its bytes so far are in <see cref="_line"/>.</summary>
        Carrying,
    }

    /// <summary>Distinct file paths, in first-seen order, exactly as the preprocessor printed them (unescaped).</summary>
    public IReadOnlyList<string> Files => _files;

    public void Feed(ReadOnlySpan<byte> chunk)
    {
        while (!chunk.IsEmpty)
        {
            switch (_state)
            {
                case State.Skipping:
                    {
                        var at = chunk.IndexOf("\n#"u8);
                        if (at < 0)
                        {
                            _state = chunk[^1] == (byte)'\n' ? State.LineStart : State.Skipping;
                            return;
                        }

                        chunk = chunk[(at + 1)..];
                        _state = State.LineStart;
                        break;
                    }

                case State.LineStart:
                    {
                        if (chunk[0] != (byte)'#')
                        {
                            _state = State.Skipping;
                            break;
                        }

                        var end = chunk.IndexOf((byte)'\n');
                        if (end < 0)
                        {
                            _lineLength = 0;
                            _state = State.Carrying;
                            Carry(chunk);
                            return;
                        }

                        ParseLine(chunk[..end]);
                        chunk = chunk[(end + 1)..];
                        break;
                    }

                default:
                    {
                        var end = chunk.IndexOf((byte)'\n');
                        if (end < 0)
                        {
                            Carry(chunk);
                            return;
                        }

                        Carry(chunk[..end]);
                        if (_state == State.Carrying)
                        {
                            ParseLine(_line.AsSpan(0, _lineLength));
                        }

                        _lineLength = 0;
                        chunk = chunk[(end + 1)..];
                        _state = State.LineStart;
                        break;
                    }
            }
        }
    }

    /// <summary>End of output: a final '#' line without a newline is parsed too.</summary>
    public void Complete()
    {
        if (_state == State.Carrying)
        {
            ParseLine(_line.AsSpan(0, _lineLength));
        }

        _lineLength = 0;
        _state = State.LineStart;
        if (_line is not null)
        {
            ArrayPool<byte>.Shared.Return(_line);
            _line = null;
        }
    }

    private void Carry(ReadOnlySpan<byte> bytes)
    {
        if (_state != State.Carrying)
        {
            return;
        }

        if (_lineLength + bytes.Length > MaxLineLength)
        {
            // Too long to be a linemarker: drop it and skip to the end of the line.
            _lineLength = 0;
            _state = State.Skipping;
            return;
        }

        _line ??= ArrayPool<byte>.Shared.Rent(4096);
        if (_line.Length < _lineLength + bytes.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_line.Length * 2, _lineLength + bytes.Length));
            _line.AsSpan(0, _lineLength).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_line);
            _line = bigger;
        }

        bytes.CopyTo(_line.AsSpan(_lineLength));
        _lineLength += bytes.Length;
    }

    private void AddPath(ReadOnlySpan<byte> path)
    {
        if (path.IsEmpty || IsPseudoFile(path))
        {
            return;
        }

        var maxChars = path.Length;
        char[]? rented = null;
        var chars = maxChars <= 512 ? stackalloc char[512] : (rented = ArrayPool<char>.Shared.Rent(maxChars));
        var count = Encoding.UTF8.GetChars(path, chars);
        var text = chars[..count];
        if (!_seenLookup.Contains(text))
        {
            var value = text.ToString();
            _seen.Add(value);
            _files.Add(value);
        }

        if (rented is not null)
        {
            ArrayPool<char>.Shared.Return(rented);
        }
    }

    private static bool IsPseudoFile(ReadOnlySpan<byte> path)
    {
        // gcc's working-directory marker (-g, -fworking-directory) is the directory plus "//".
        if (path.EndsWith("//"u8))
        {
            return true;
        }

        return path[0] == (byte)'<'
            && (path.SequenceEqual("<built-in>"u8)
                || path.SequenceEqual("<command-line>"u8)
                || path.SequenceEqual("<command line>"u8)
                || path.SequenceEqual("<stdin>"u8)
                || path.SequenceEqual("<scratch space>"u8));
    }
}
