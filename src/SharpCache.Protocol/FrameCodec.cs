using System.Buffers;
using System.Buffers.Binary;

namespace SharpCache.Protocol;

/// <summary>Encodes and decodes the frame envelope described by <see cref="FrameFormat"/>. Never throws on input.</summary>
public static class FrameCodec
{
    /// <summary>Writes a whole frame: prefix, version, type and <paramref name="payload"/>.</summary>
    public static void WriteFrame(IBufferWriter<byte> output, MessageType type, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(output);
        var total = FrameFormat.PrefixLength + FrameFormat.MinBodyLength + payload.Length;
        var span = output.GetSpan(total);
        BinaryPrimitives.WriteUInt32BigEndian(span, (uint)(FrameFormat.MinBodyLength + payload.Length));
        span[4] = FrameFormat.Version;
        span[5] = (byte)type;
        payload.CopyTo(span[6..]);
        output.Advance(total);
    }

    /// <summary>Reads the 4-byte prefix and checks the body length against <paramref name="maxBodyLength"/>.</summary>
    public static FrameLengthStatus ReadLength(ReadOnlySpan<byte> prefix, int maxBodyLength, out int bodyLength)
    {
        bodyLength = 0;
        if (prefix.Length < FrameFormat.PrefixLength)
        {
            return FrameLengthStatus.TooShort;
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(prefix);
        if (length < FrameFormat.MinBodyLength)
        {
            return FrameLengthStatus.TooShort;
        }

        if (length > (uint)Math.Max(maxBodyLength, FrameFormat.MinBodyLength))
        {
            return FrameLengthStatus.TooLarge;
        }

        bodyLength = (int)length;
        return FrameLengthStatus.Ok;
    }

    /// <summary>
    /// Splits a frame body into type and payload. False when the body is too short or carries
    /// another protocol version (<paramref name="version"/> then says which).
    /// </summary>
    public static bool TryReadBody(ReadOnlySpan<byte> body, out byte version, out MessageType type, out ReadOnlySpan<byte> payload)
    {
        version = 0;
        type = 0;
        payload = default;
        if (body.Length < FrameFormat.MinBodyLength)
        {
            return false;
        }

        version = body[0];
        type = (MessageType)body[1];
        payload = body[2..];
        return version == FrameFormat.Version;
    }
}
