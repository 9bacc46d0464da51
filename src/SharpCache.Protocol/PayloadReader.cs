using System.Buffers.Binary;
using System.Text;

namespace SharpCache.Protocol;

/// <summary>
/// Cursor over a payload, the reverse of <see cref="PayloadWriter"/>. Every read returns false
/// on truncated or malformed input instead of throwing, so a garbage frame is a value, not a crash.
/// </summary>
public ref struct PayloadReader
{
    /// <summary>Longest string a payload may carry (1 MiB); a larger length is garbage.</summary>
    public const int MaxStringLength = 1 << 20;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private ReadOnlySpan<byte> _remaining;

    public PayloadReader(ReadOnlySpan<byte> payload) => _remaining = payload;

    /// <summary>Bytes not read yet.</summary>
    public readonly int Remaining => _remaining.Length;

    public bool TryReadByte(out byte value)
    {
        if (_remaining.IsEmpty)
        {
            value = 0;
            return false;
        }

        value = _remaining[0];
        _remaining = _remaining[1..];
        return true;
    }

    public bool TryReadBool(out bool value)
    {
        value = false;
        if (!TryReadByte(out var b) || b > 1)
        {
            return false;
        }

        value = b == 1;
        return true;
    }

    public bool TryReadInt64(out long value)
    {
        if (!BinaryPrimitives.TryReadInt64BigEndian(_remaining, out value))
        {
            return false;
        }

        _remaining = _remaining[8..];
        return true;
    }

    public bool TryReadUInt32(out uint value)
    {
        if (!BinaryPrimitives.TryReadUInt32BigEndian(_remaining, out value))
        {
            return false;
        }

        _remaining = _remaining[4..];
        return true;
    }

    public bool TryReadNullableInt64(out long? value)
    {
        value = null;
        if (!TryReadBool(out var present))
        {
            return false;
        }

        if (!present)
        {
            return true;
        }

        if (!TryReadInt64(out var v))
        {
            return false;
        }

        value = v;
        return true;
    }

    public bool TryReadString(out string value)
    {
        value = "";
        if (!TryReadUInt32(out var length) || length > MaxStringLength || length > (uint)_remaining.Length)
        {
            return false;
        }

        try
        {
            value = StrictUtf8.GetString(_remaining[..(int)length]);
        }
        catch (ArgumentException)
        {
            // Invalid UTF-8 (DecoderFallbackException derives from ArgumentException).
            return false;
        }

        _remaining = _remaining[(int)length..];
        return true;
    }

    public bool TryReadNullableString(out string? value)
    {
        value = null;
        if (!TryReadBool(out var present))
        {
            return false;
        }

        if (!present)
        {
            return true;
        }

        if (!TryReadString(out var s))
        {
            return false;
        }

        value = s;
        return true;
    }

    /// <summary>Reads a map written by <see cref="PayloadWriter.WriteCounts"/>.</summary>
    public bool TryReadCounts(out Dictionary<string, long> counts)
    {
        counts = new Dictionary<string, long>(StringComparer.Ordinal);
        if (!TryReadUInt32(out var count))
        {
            return false;
        }

        // Each entry takes at least 12 bytes (empty string + i64): a larger count is garbage,
        // and checking it first keeps a hostile count from allocating.
        if (count > (uint)(_remaining.Length / 12))
        {
            return false;
        }

        for (var i = 0; i < count; i++)
        {
            if (!TryReadString(out var key) || !TryReadInt64(out var value))
            {
                return false;
            }

            counts[key] = value;
        }

        return true;
    }

    /// <summary>Reads a <see cref="PayloadWriter.WriteBlob"/>; the span is a slice of the payload.</summary>
    public bool TryReadBlob(out ReadOnlySpan<byte> value)
    {
        value = default;
        if (!TryReadUInt32(out var length) || length > (uint)_remaining.Length)
        {
            return false;
        }

        value = _remaining[..(int)length];
        _remaining = _remaining[(int)length..];
        return true;
    }
}
