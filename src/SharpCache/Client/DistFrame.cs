using System.Buffers;
using System.Buffers.Binary;
using SharpCache.Protocol;

namespace SharpCache.Client;

/// <summary>
/// A <see cref="MessageType.DistCompile"/> frame built in one buffer while the preprocessor runs: the request's
/// fields, then the preprocessed text written in place as it streams (its length patched in at the end), then the
/// other inputs and the tail. The text is never copied again on its way to the daemon: a C++ unit's megabytes
/// went through four buffers before (the growing text buffer, the input list, the payload, the frame), and on
/// fresh memory each copy costs a page fault per 4 KiB.
/// </summary>
internal sealed class DistFrame : IBufferWriter<byte>
{
    /// <summary>Room for a typical C++ unit's text at once (the pages of an uninitialized array cost nothing until written).</summary>
    private const int InitialCapacity = 4 << 20;

    private readonly DistCompileRequest _head;
    private readonly int _textLengthAt;
    private readonly int _textStart;
    private byte[] _buffer;
    private int _written;
    private int _textEnd = -1;

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

    /// <summary>Appends a piece of the preprocessed text.</summary>
    public void AppendText(ReadOnlySpan<byte> chunk)
    {
        if (_textEnd >= 0)
        {
            throw new InvalidOperationException("the text is complete");
        }

        chunk.CopyTo(GetSpan(chunk.Length));
        _written += chunk.Length;
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
        return _buffer.AsSpan(0, _written);
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
