using System.Buffers;
using System.Buffers.Binary;

namespace SharpCache.Protocol;

/// <summary>
/// Payloads of the remote-tier messages. <see cref="MessageType.RemoteGet"/>: key string.
/// <see cref="MessageType.RemotePut"/>: key string, u32 big-endian length, bytes.
/// <see cref="MessageType.RemoteGetReply"/>: status byte, then for a hit u32 length + bytes and a
/// u32 count of bundled objects (key string, u32 length, bytes each: the entries a manifest points
/// to, fetched by the daemon on the way), for an error a reason string, nothing otherwise. Keys are 64 lowercase hex characters; anything else
/// is malformed. Decoding never throws.
/// </summary>
public static class RemoteMessageCodec
{
    public const int KeyLength = 64;

    public static void WriteGet(IBufferWriter<byte> output, string key) => PayloadWriter.WriteString(output, key);

    public static bool TryReadGet(ReadOnlySpan<byte> payload, out string key)
    {
        var r = new PayloadReader(payload);
        return r.TryReadString(out key) && r.Remaining == 0 && IsKey(key);
    }

    public static void WritePut(IBufferWriter<byte> output, string key, ReadOnlySpan<byte> data)
    {
        PayloadWriter.WriteString(output, key);
        WriteBytes(output, data);
    }

    /// <summary>The data is a slice of <paramref name="payload"/>: copy it before the buffer is reused.</summary>
    public static bool TryReadPut(ReadOnlySpan<byte> payload, out string key, out ReadOnlySpan<byte> data)
    {
        data = default;
        var r = new PayloadReader(payload);
        if (!r.TryReadString(out key) || !IsKey(key))
        {
            return false;
        }

        var rest = payload[^r.Remaining..];
        return TryReadBytes(rest, out data, out var tail) && tail == 0;
    }

    /// <summary>Largest number of bundled objects a reply may carry.</summary>
    public const int MaxBundle = 16;

    public static void WriteReply(IBufferWriter<byte> output, RemoteGetStatus status, ReadOnlySpan<byte> data, string? reason) =>
        WriteReply(output, status, data, reason, []);

    public static void WriteReply(IBufferWriter<byte> output, RemoteGetStatus status, ReadOnlySpan<byte> data, string? reason, IReadOnlyList<KeyValuePair<string, byte[]>> bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        PayloadWriter.WriteByte(output, (byte)status);
        if (status == RemoteGetStatus.Hit)
        {
            WriteBytes(output, data);
            PayloadWriter.WriteUInt32(output, (uint)bundle.Count);
            foreach (var (key, bytes) in bundle)
            {
                PayloadWriter.WriteString(output, key);
                WriteBytes(output, bytes);
            }
        }
        else if (status == RemoteGetStatus.Error)
        {
            PayloadWriter.WriteString(output, reason ?? string.Empty);
        }
    }

    public static bool TryReadReply(ReadOnlySpan<byte> payload, out RemoteGetStatus status, out ReadOnlySpan<byte> data, out string? reason) =>
        TryReadReply(payload, out status, out data, out reason, out _);

    /// <summary>Decodes a reply; <paramref name="bundle"/> gets copies of the bundled objects.</summary>
    public static bool TryReadReply(ReadOnlySpan<byte> payload, out RemoteGetStatus status, out ReadOnlySpan<byte> data, out string? reason, out List<KeyValuePair<string, byte[]>> bundle)
    {
        bundle = [];
        status = RemoteGetStatus.Error;
        data = default;
        reason = null;
        if (payload.IsEmpty || payload[0] > (byte)RemoteGetStatus.NoTiers)
        {
            return false;
        }

        status = (RemoteGetStatus)payload[0];
        var rest = payload[1..];
        switch (status)
        {
            case RemoteGetStatus.Hit:
                return TryReadBytes(rest, out data, out var tail) && TryReadBundle(rest[^tail..], bundle);
            case RemoteGetStatus.Error:
                var r = new PayloadReader(rest);
                var ok = r.TryReadString(out var text) && r.Remaining == 0;
                reason = text;
                return ok;
            default:
                return rest.IsEmpty;
        }
    }

    public static bool IsKey(string key)
    {
        if (key.Length != KeyLength)
        {
            return false;
        }

        foreach (var c in key)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryReadBundle(ReadOnlySpan<byte> input, List<KeyValuePair<string, byte[]>> bundle)
    {
        if (input.Length < 4)
        {
            return false;
        }

        var count = BinaryPrimitives.ReadUInt32BigEndian(input);
        if (count > MaxBundle)
        {
            return false;
        }

        var rest = input[4..];
        for (var i = 0; i < count; i++)
        {
            var r = new PayloadReader(rest);
            if (!r.TryReadString(out var key) || !IsKey(key))
            {
                return false;
            }

            rest = rest[^r.Remaining..];
            if (!TryReadBytes(rest, out var bytes, out var tail))
            {
                return false;
            }

            bundle.Add(new KeyValuePair<string, byte[]>(key, bytes.ToArray()));
            rest = rest[^tail..];
        }

        return rest.IsEmpty;
    }

    private static void WriteBytes(IBufferWriter<byte> output, ReadOnlySpan<byte> data)
    {
        PayloadWriter.WriteUInt32(output, (uint)data.Length);
        var span = output.GetSpan(data.Length);
        data.CopyTo(span);
        output.Advance(data.Length);
    }

    private static bool TryReadBytes(ReadOnlySpan<byte> input, out ReadOnlySpan<byte> data, out int tail)
    {
        data = default;
        tail = 0;
        if (input.Length < 4)
        {
            return false;
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(input);
        if (length > (uint)(input.Length - 4))
        {
            return false;
        }

        data = input.Slice(4, (int)length);
        tail = input.Length - 4 - (int)length;
        return true;
    }
}
