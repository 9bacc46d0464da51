using System.Buffers;

namespace SharpCache.Daemon;

/// <summary>
/// A connection's preprocessed text sent ahead (<see cref="SharpCache.Protocol.MessageType.DistText"/>), in arrays from the
/// shared pool. A C++ unit's text is megabytes: a buffer of its own per compile (each connection carries one compile)
/// was a large-object allocation or two per compile, and the daemon ran a full garbage collection every few compiles
/// (about 1 ms, three reads of /proc/meminfo), sometimes on a compile's path. Slices handed out
/// (<see cref="WrittenMemory"/>) stay valid until <see cref="Reset"/>: when the buffer grows, the array they point into is
/// kept (same bytes) until then.
/// </summary>
internal sealed class TextBuffer
{
    private const int InitialSize = 1 << 20;

    private byte[] _array = [];
    private int _count;
    private List<byte[]>? _retired;

    public int WrittenCount => _count;

    public ReadOnlyMemory<byte> WrittenMemory => _array.AsMemory(0, _count);

    public void Write(ReadOnlySpan<byte> data)
    {
        if (data.Length > _array.Length - _count)
        {
            var next = ArrayPool<byte>.Shared.Rent(Math.Max(_count + data.Length, Math.Max(InitialSize, _array.Length * 2)));
            _array.AsSpan(0, _count).CopyTo(next);
            if (_array.Length > 0)
            {
                (_retired ??= []).Add(_array);
            }

            _array = next;
        }

        data.CopyTo(_array.AsSpan(_count));
        _count += data.Length;
    }

    /// <summary>
    /// The compile is done with the text (its build server read it all, or the job was given up and never runs): the
    /// arrays go back to the pool; with <paramref name="keep"/> the current one stays for the connection's next compile.
    /// </summary>
    public void Reset(bool keep)
    {
        foreach (var array in _retired ?? [])
        {
            ArrayPool<byte>.Shared.Return(array);
        }

        _retired = null;
        _count = 0;
        if (!keep && _array.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_array);
            _array = [];
        }
    }
}
