using System.Buffers.Binary;
using System.IO.Hashing;
using SharpCache.Core.Entries;
using ZstdSharp;

namespace SharpCache.Core.Tests.Entries;

/// <summary>Payloads with a valid header and checksum but a malformed structure: the parser's own guards.</summary>
public sealed class EntryPayloadTests
{
    [Fact]
    public void Decode_HandCraftedValidPayload_IsOk()
    {
        var payload = Concat(Int32(2), "hi"u8.ToArray(), Int32(0), Int32(1), UInt16(3), "obj"u8.ToArray(), Int32(420), Int64(2), [7, 8]);

        var ok = Assert.IsType<EntryDecodeResult.Ok>(EntryCodec.Decode(Wrap(payload)));

        Assert.Equal("hi"u8.ToArray(), ok.Entry.Stdout.ToArray());
        Assert.Equal("obj", Assert.Single(ok.Entry.Files).Name);
        Assert.Equal(new byte[] { 7, 8 }, ok.Entry.Files[0].Content.ToArray());
    }

    public static TheoryData<string, byte[]> MalformedPayloads() => new()
    {
        { "empty", [] },
        { "negative stdout length", Concat(Int32(-1)) },
        { "stdout longer than payload", Concat(Int32(100), [1, 2, 3]) },
        { "missing file count", Concat(Int32(0), Int32(0)) },
        { "negative file count", Concat(Int32(0), Int32(0), Int32(-5)) },
        { "huge file count", Concat(Int32(0), Int32(0), Int32(int.MaxValue)) },
        { "name past end", Concat(Int32(0), Int32(0), Int32(1), UInt16(500), Int32(0), Int64(0)) },
        { "invalid utf-8 name", Concat(Int32(0), Int32(0), Int32(1), UInt16(2), [0xC3, 0x28], Int32(0), Int64(0)) },
        { "negative content length", Concat(Int32(0), Int32(0), Int32(1), UInt16(1), "o"u8.ToArray(), Int32(0), Int64(-1)) },
        { "content past end", Concat(Int32(0), Int32(0), Int32(1), UInt16(1), "o"u8.ToArray(), Int32(0), Int64(1L << 40)) },
        { "trailing bytes", Concat(Int32(0), Int32(0), Int32(0), [0]) },
    };

    [Theory]
    [MemberData(nameof(MalformedPayloads))]
    public void Decode_MalformedPayloadWithValidChecksum_IsCorrupt(string label, byte[] payload)
    {
        _ = label;

        Assert.IsType<EntryDecodeResult.Corrupt>(EntryCodec.Decode(Wrap(payload)));
    }

    [Fact]
    public void Decode_FrameSizeDisagreesWithHeader_IsCorrupt()
    {
        var payload = Concat(Int32(0), Int32(0), Int32(0));
        var encoded = Wrap(payload);
        BinaryPrimitives.WriteInt64LittleEndian(encoded.AsSpan(8), payload.Length + 1);

        var corrupt = Assert.IsType<EntryDecodeResult.Corrupt>(EntryCodec.Decode(encoded));

        Assert.Contains("frame content size", corrupt.Reason, StringComparison.Ordinal);
    }

    private static byte[] Wrap(byte[] payload)
    {
        using var compressor = new Compressor(3);
        var compressed = compressor.Wrap(payload).ToArray();
        var header = new byte[32];
        "SHCE"u8.CopyTo(header);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(4), 1);
        header[6] = 1;
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(8), payload.Length);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(16), compressed.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(24), XxHash3.HashToUInt64(payload));
        return Concat(header, compressed);
    }

    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    private static byte[] Int32(int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        return bytes;
    }

    private static byte[] UInt16(ushort value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, value);
        return bytes;
    }

    private static byte[] Int64(long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        return bytes;
    }
}
