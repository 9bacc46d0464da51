using System.Buffers;
using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace SharpCache.Dist.Protocol;

/// <summary>
/// A length-prefixed JSON frame: 4-byte big-endian length, then that many bytes of UTF-8 JSON.
/// run_job bodies are one frame followed by raw bytes (request: the inputs tar; response: stdout,
/// stderr and the outputs, with lengths given in the frame).
/// </summary>
public static class Frame
{
    /// <summary>Largest header frame accepted (a command with a large environment fits easily).</summary>
    public const int MaxFrameLength = 4 << 20;

    /// <summary>The frame's bytes (prefix and JSON).</summary>
    public static byte[] Encode<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(value, typeInfo);
        var frame = new byte[4 + json.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)json.Length);
        json.CopyTo(frame, 4);
        return frame;
    }

    /// <summary>Reads one frame; a short stream, an oversized length or bad JSON is an <see cref="InvalidDataException"/>.</summary>
    public static async Task<T> ReadAsync<T>(Stream stream, JsonTypeInfo<T> typeInfo, int maxLength, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var prefix = new byte[4];
        await ReadExactlyOrThrowAsync(stream, prefix, cancellationToken).ConfigureAwait(false);
        var length = BinaryPrimitives.ReadUInt32BigEndian(prefix);
        if (length == 0 || length > (uint)maxLength)
        {
            throw new InvalidDataException($"frame length {length} is outside 1..{maxLength}");
        }

        var buffer = ArrayPool<byte>.Shared.Rent((int)length);
        try
        {
            var memory = buffer.AsMemory(0, (int)length);
            await ReadExactlyOrThrowAsync(stream, memory, cancellationToken).ConfigureAwait(false);
            try
            {
                return JsonSerializer.Deserialize(memory.Span, typeInfo) ?? throw new InvalidDataException("frame is JSON null");
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"frame is not a valid {typeof(T).Name}: {e.Message}", e);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task ReadExactlyOrThrowAsync(Stream stream, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            await stream.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("body ends inside a frame", e);
        }
    }
}
