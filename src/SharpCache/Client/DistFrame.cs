using System.Buffers;
using System.Buffers.Binary;
using SharpCache.Protocol;

namespace SharpCache.Client;

/// <summary>
/// A <see cref="MessageType.DistCompile"/> frame built in one buffer while the preprocessor runs: the request's
/// fields, then the preprocessed text written in place as it streams (its length patched in at the end), then the
/// other inputs and the tail. The text is never copied again on its way to the daemon: a C++ unit's megabytes
/// went through four buffers before (the growing text buffer, the input list, the payload, the frame), and on
/// fresh memory each copy costs a page fault per 4 KiB. With <see cref="StreamTo"/>, the text also goes to the daemon in
/// pieces (<see cref="MessageType.DistText"/>) while the preprocessor runs, and <see cref="SessionFrame"/> carries only the rest.
/// </summary>
internal sealed class DistFrame : IBufferWriter<byte>
{
    /// <summary>Room for a typical C++ unit's text at once (the pages of an uninitialized array cost nothing until written).</summary>
    private const int InitialCapacity = 4 << 20;

    private readonly DistCompileRequest _head;
    private readonly int _textLengthAt;
    private readonly int _textStart;
    /// <summary>
    /// Text sent ahead once this much is waiting: a C++ unit's 1.7 MB in 6 pieces while it is preprocessed. With 64 KiB
    /// pieces the daemon's wake-ups for 27 of them slowed the preprocessor on 2 cores by 2-4 ms (timeline medians of small.cpp:
    /// preprocess 56.0-56.7 ms against 52.6-54.8 without sending ahead); with 256 KiB it is not slower (56.3-58.5 against
    /// 56.8-57.2), and the client's and daemon's time after the preprocessor drops 2.2 → 1.5 ms.
    /// </summary>
    internal const int StreamPiece = 256 * 1024;

    private byte[] _buffer;
    private int _written;
    private int _textEnd = -1;
    private Func<ReadOnlySpan<byte>, bool>? _stream;
    private int _streamedTo = -1;
    private byte[]? _sessionFrame;

    /// <summary>
    /// Writes the head of <paramref name="head"/> (its <c>Inputs</c> ignored: <paramref name="inputCount"/> inputs follow,
    /// the first being the streamed text at <paramref name="textPath"/>).
    /// </summary>
    public DistFrame(DistCompileRequest head, int inputCount, string textPath)
    {
        _head = head;
        _buffer = GC.AllocateUninitializedArray<byte>(InitialCapacity);
        _written = FrameFormat.PrefixLength + FrameFormat.MinBodyLength;
        DistMessageCodec.WriteRequestHead(this, head, inputCount);
        PayloadWriter.WriteString(this, textPath);
        _textLengthAt = _written;
        _written += 4;
        _textStart = _written;
    }

    /// <summary>The text streamed so far (all of it after <see cref="EndText"/>).</summary>
    public ReadOnlySpan<byte> Text => _buffer.AsSpan(_textStart, (_textEnd < 0 ? _written : _textEnd) - _textStart);

    /// <summary>
    /// Sends the text ahead through <paramref name="send"/> (the daemon session's <see cref="MessageType.DistText"/>) as it
    /// grows; a send that fails stops it (the session is then broken, and the whole frame goes on a new connection).
    /// </summary>
    public void StreamTo(Func<ReadOnlySpan<byte>, bool> send)
    {
        _stream = send;
        _streamedTo = _textStart;
    }

    /// <summary>How many bytes of the text went ahead (<see cref="StreamTo"/>).</summary>
    public int StreamedLength => _streamedTo < 0 ? 0 : _streamedTo - _textStart;

    /// <summary>Appends a piece of the preprocessed text.</summary>
    public void AppendText(ReadOnlySpan<byte> chunk)
    {
        if (_textEnd >= 0)
        {
            throw new InvalidOperationException("the text is complete");
        }

        chunk.CopyTo(GetSpan(chunk.Length));
        _written += chunk.Length;
        if (_stream is not null && _written - _streamedTo >= StreamPiece)
        {
            if (_stream(_buffer.AsSpan(_streamedTo, _written - _streamedTo)))
            {
                _streamedTo = _written;
            }
            else
            {
                _stream = null;
            }
        }
    }

    /// <summary>Closes the text: its length goes in front of it; the other inputs and the tail follow.</summary>
    public void EndText()
    {
        _textEnd = _written;
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(_textLengthAt), (uint)(_textEnd - _textStart));
    }

    /// <summary>Where the request's store block begins in the frame (<see cref="Finish"/> with one); -1 without one.</summary>
    public int StoreAt { get; private set; } = -1;

    /// <summary>Writes the tail (with <paramref name="store"/>, known only once the text is hashed) and the frame's prefix; the frame is the returned span.</summary>
    public ReadOnlySpan<byte> Finish(DistStoreRequest? store = null)
    {
        if (_textEnd < 0)
        {
            EndText();
        }

        DistMessageCodec.WriteRequestTail(this, _head);
        if (store is not null)
        {
            StoreAt = _written;
            DistMessageCodec.WriteRequestStore(this, store);
        }

        BinaryPrimitives.WriteUInt32BigEndian(_buffer, (uint)(_written - FrameFormat.PrefixLength));
        _buffer[FrameFormat.PrefixLength] = FrameFormat.Version;
        _buffer[FrameFormat.PrefixLength + 1] = (byte)MessageType.DistCompile;
        _sessionFrame = StreamedLength > 0 ? RestFrame() : null;
        return _buffer.AsSpan(0, _written);
    }

    /// <summary>
    /// After <see cref="Finish"/>: the frame for the session the text went ahead on, a <see cref="MessageType.DistCompileRest"/>
    /// with only the text not yet sent; without any sent ahead, the <see cref="MessageType.DistCompile"/> frame itself.
    /// </summary>
    public ReadOnlySpan<byte> SessionFrame => _sessionFrame ?? _buffer.AsSpan(0, _written);

    /// <summary>The frame as <see cref="Finish"/> wrote it, the text cut to what was not sent ahead (a copy of the head, the rest of the text and the tail).</summary>
    private byte[] RestFrame()
    {
        var start = FrameFormat.PrefixLength + FrameFormat.MinBodyLength;
        var head = _textLengthAt - start;
        var rest = _written - _streamedTo;
        var frame = GC.AllocateUninitializedArray<byte>(start + head + 4 + rest);
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)(frame.Length - FrameFormat.PrefixLength));
        frame[FrameFormat.PrefixLength] = FrameFormat.Version;
        frame[FrameFormat.PrefixLength + 1] = (byte)MessageType.DistCompileRest;
        _buffer.AsSpan(start, head).CopyTo(frame.AsSpan(start));
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(start + head), (uint)(_textEnd - _streamedTo));
        _buffer.AsSpan(_streamedTo, rest).CopyTo(frame.AsSpan(start + head + 4));
        return frame;
    }

    public void Advance(int count)
    {
        if (count < 0 || _written + count > _buffer.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(count));
        }

        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsSpan(_written);
    }

    private void Reserve(int sizeHint)
    {
        var needed = (long)_written + Math.Max(sizeHint, 1);
        if (needed <= _buffer.Length)
        {
            return;
        }

        var size = Math.Max((long)_buffer.Length * 2, needed);
        if (size > Array.MaxLength)
        {
            size = needed <= Array.MaxLength ? Array.MaxLength : throw new InvalidOperationException("the compile's inputs are over 2 GiB");
        }

        var bigger = GC.AllocateUninitializedArray<byte>((int)size);
        _buffer.AsSpan(0, _written).CopyTo(bigger);
        _buffer = bigger;
    }
}
