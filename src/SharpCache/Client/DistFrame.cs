using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using SharpCache.Protocol;

namespace SharpCache.Client;

/// <summary>
/// A <see cref="MessageType.DistCompile"/> frame built in one buffer while the preprocessor runs: the request's
/// fields, then the preprocessed text written in place as it streams (its length patched in at the end), then the
/// other inputs and the tail. The text is never copied again on its way to the daemon: a C++ unit's megabytes
/// went through four buffers before (the growing text buffer, the input list, the payload, the frame), and on
/// fresh memory each copy costs a page fault per 4 KiB. With <see cref="StreamTo"/>, the text also goes to the daemon in
/// pieces (<see cref="MessageType.DistText"/>) while the preprocessor runs, and <see cref="SessionFrame"/> carries only the rest.
/// The buffer is native memory, not an array: an array this large is a large object, and allocating it started a full
/// garbage collection in every distributed compile, on the request's path (~0.3 ms; the client's heap is otherwise tiny),
/// and growing it copied it. Native memory grows in place (<c>realloc</c>, <c>mremap</c> for large blocks). Spans of the
/// buffer are valid until the next write and until <see cref="Dispose"/>.
/// </summary>
internal sealed unsafe class DistFrame : IBufferWriter<byte>, IDisposable
{
    /// <summary>Room for a typical C++ unit's text at once (the pages cost nothing until written).</summary>
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

    private byte* _buffer;
    private int _capacity;
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
        _buffer = (byte*)NativeMemory.Alloc(InitialCapacity);
        _capacity = InitialCapacity;
        _written = FrameFormat.PrefixLength + FrameFormat.MinBodyLength;
        DistMessageCodec.WriteRequestHead(this, head, inputCount);
        PayloadWriter.WriteString(this, textPath);
        _textLengthAt = _written;
        _written += 4;
        _textStart = _written;
    }

    /// <summary>The text streamed so far (all of it after <see cref="EndText"/>).</summary>
    public ReadOnlySpan<byte> Text => Buffer.Slice(_textStart, (_textEnd < 0 ? _written : _textEnd) - _textStart);

    private Span<byte> Buffer => _buffer is null ? throw new ObjectDisposedException(nameof(DistFrame)) : new(_buffer, _capacity);

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
        if (_written - _streamedTo >= StreamPiece)
        {
            SendAhead();
        }
    }

    /// <summary>
    /// Sends the text not yet sent ahead (<see cref="StreamTo"/>) now, whatever its size: the preprocessor has written its
    /// last byte, and its exit (whose status decides whether the text is used) is still to come.
    /// </summary>
    public void SendPendingText()
    {
        if (_textEnd < 0 && _written > _streamedTo)
        {
            SendAhead();
        }
    }

    /// <summary>Sends the text written since the last piece; a send that fails stops sending ahead.</summary>
    private void SendAhead()
    {
        if (_stream is null)
        {
            return;
        }

        if (_stream(Buffer[_streamedTo.._written]))
        {
            _streamedTo = _written;
        }
        else
        {
            _stream = null;
        }
    }

    /// <summary>Closes the text: its length goes in front of it; the other inputs and the tail follow.</summary>
    public void EndText()
    {
        _textEnd = _written;
        BinaryPrimitives.WriteUInt32BigEndian(Buffer[_textLengthAt..], (uint)(_textEnd - _textStart));
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

        var buffer = Buffer;
        BinaryPrimitives.WriteUInt32BigEndian(buffer, (uint)(_written - FrameFormat.PrefixLength));
        buffer[FrameFormat.PrefixLength] = FrameFormat.Version;
        buffer[FrameFormat.PrefixLength + 1] = (byte)MessageType.DistCompile;
        _sessionFrame = StreamedLength > 0 ? RestFrame() : null;
        return buffer[.._written];
    }

    /// <summary>
    /// After <see cref="Finish"/>: the frame for the session the text went ahead on, a <see cref="MessageType.DistCompileRest"/>
    /// with only the text not yet sent; without any sent ahead, the <see cref="MessageType.DistCompile"/> frame itself.
    /// </summary>
    public ReadOnlySpan<byte> SessionFrame => _sessionFrame ?? Buffer[.._written];

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
        Buffer.Slice(start, head).CopyTo(frame.AsSpan(start));
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(start + head), (uint)(_textEnd - _streamedTo));
        Buffer.Slice(_streamedTo, rest).CopyTo(frame.AsSpan(start + head + 4));
        return frame;
    }

    public void Advance(int count)
    {
        if (count < 0 || _written + count > _capacity)
        {
            throw new ArgumentOutOfRangeException(nameof(count));
        }

        _written += count;
    }

    /// <summary>Memory over the rest of the buffer (valid until the next write: the buffer may move when it grows).</summary>
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return new NativeView(_buffer + _written, _capacity - _written).Memory;
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return Buffer[_written..];
    }

    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    ~DistFrame() => Free();

    private void Free()
    {
        var buffer = _buffer;
        _buffer = null;
        if (buffer is not null)
        {
            NativeMemory.Free(buffer);
        }
    }

    private void Reserve(int sizeHint)
    {
        var needed = (long)_written + Math.Max(sizeHint, 1);
        if (_buffer is null)
        {
            throw new ObjectDisposedException(nameof(DistFrame));
        }

        if (needed <= _capacity)
        {
            return;
        }

        var size = Math.Max((long)_capacity * 2, needed);
        if (size > Array.MaxLength)
        {
            size = needed <= Array.MaxLength ? Array.MaxLength : throw new InvalidOperationException("the compile's inputs are over 2 GiB");
        }

        _buffer = (byte*)NativeMemory.Realloc(_buffer, (nuint)size); // throws OutOfMemoryException, leaving the old block
        _capacity = (int)size;
    }

    /// <summary>A <see cref="Memory{T}"/> over part of the native buffer, for <see cref="GetMemory"/>.</summary>
    private sealed class NativeView(byte* start, int length) : MemoryManager<byte>
    {
        public override Span<byte> GetSpan() => new(start, length);

        public override MemoryHandle Pin(int elementIndex = 0) => new(start + elementIndex);

        public override void Unpin()
        {
        }

        protected override void Dispose(bool disposing)
        {
        }
    }
}
