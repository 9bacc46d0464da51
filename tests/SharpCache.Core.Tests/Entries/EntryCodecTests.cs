using System.Buffers.Binary;
using SharpCache.Core.Entries;

namespace SharpCache.Core.Tests.Entries;

public sealed class EntryCodecTests
{
    // C# has no octal literals: 0644, 0755, 0600.
    private const int Mode644 = 420;
    private const int Mode755 = 493;
    private const int Mode600 = 384;

    [Fact]
    public void Encode_EmptyEntry_RoundTrips()
    {
        var entry = new CacheEntry { Files = [] };

        var decoded = AssertOk(EntryCodec.Decode(EntryCodec.Encode(entry)));

        AssertSame(entry, decoded);
    }

    [Fact]
    public void Encode_SeveralFilesWithBinaryContent_RoundTrips()
    {
        var entry = Sample();

        var decoded = AssertOk(EntryCodec.Decode(EntryCodec.Encode(entry)));

        AssertSame(entry, decoded);
        Assert.Equal(["obj", "d", "dwo", "émoji-✓"], decoded.Files.Select(f => f.Name));
        Assert.Equal(Mode755, decoded.Files[2].UnixMode);
    }

    [Theory]
    [InlineData(-5)]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(19)]
    [InlineData(22)]
    [InlineData(100)]
    public void Encode_AnyLevel_RoundTrips(int level)
    {
        var entry = Sample();

        AssertSame(entry, AssertOk(EntryCodec.Decode(EntryCodec.Encode(entry, level))));
    }

    [Theory]
    [InlineData((4 << 20) - 300)]
    [InlineData((4 << 20) + 300)]
    public void Encode_IncompressibleAroundTheOneShotLimit_RoundTrips(int size)
    {
        // Entries up to 4 MiB of payload are compressed in one call, larger ones streamed: the same frame either way.
        var content = new byte[size];
        new Random(size).NextBytes(content);
        var entry = new CacheEntry { Files = [new EntryFile("obj", Mode644, content)], Stdout = "out"u8.ToArray() };

        var encoded = EntryCodec.Encode(entry);

        AssertSame(entry, AssertOk(EntryCodec.Decode(encoded)));
        Assert.Equal(encoded.Length - 32, BinaryPrimitives.ReadInt64LittleEndian(encoded.AsSpan(16)));
    }

    [Fact]
    public void Encode_LargeContent_RoundTripsAndCompresses()
    {
        // 48 MiB: half compressible text-like data, half random bytes.
        var content = new byte[48 << 20];
        var random = new Random(42);
        random.NextBytes(content.AsSpan(0, content.Length / 2));
        for (var i = content.Length / 2; i < content.Length; i++)
        {
            content[i] = (byte)('a' + (i % 23));
        }

        var entry = new CacheEntry { Files = [new EntryFile("obj", Mode644, content)], Stderr = "warning: big"u8.ToArray() };

        var encoded = EntryCodec.Encode(entry);

        Assert.True(encoded.Length < content.Length * 0.6, $"encoded {encoded.Length} bytes");
        AssertSame(entry, AssertOk(EntryCodec.Decode(encoded)));
    }

    [Fact]
    public void Encode_Header_HasDocumentedLayout()
    {
        var entry = Sample();
        var encoded = EntryCodec.Encode(entry);

        Assert.Equal("SHCE"u8.ToArray(), encoded[..4]);
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(encoded.AsSpan(4)));
        Assert.Equal(1, encoded[6]);
        Assert.Equal(0, encoded[7]);
        Assert.Equal(encoded.Length - 32, BinaryPrimitives.ReadInt64LittleEndian(encoded.AsSpan(16)));

        // Zstd frame magic right after the header.
        Assert.Equal(0xFD2FB528u, BinaryPrimitives.ReadUInt32LittleEndian(encoded.AsSpan(32)));
    }

    [Fact]
    public void Decode_TruncatedAtEveryOffset_IsCorrupt()
    {
        var encoded = EntryCodec.Encode(Sample());

        for (var length = 0; length < encoded.Length; length++)
        {
            Assert.IsType<EntryDecodeResult.Corrupt>(EntryCodec.Decode(encoded.AsSpan(0, length)));
        }
    }

    [Fact]
    public void Decode_EveryByteFlipped_NeverOkWithDifferentContent()
    {
        var entry = Sample();
        var encoded = EntryCodec.Encode(entry);

        foreach (var mask in new byte[] { 0x01, 0x10, 0x80, 0xFF })
        {
            for (var i = 0; i < encoded.Length; i++)
            {
                var copy = (byte[])encoded.Clone();
                copy[i] ^= mask;
                AssertCorruptOrSame(entry, EntryCodec.Decode(copy));
            }
        }
    }

    [Fact]
    public void Decode_RandomCorruption_NeverThrows()
    {
        var entry = Sample();
        var encoded = EntryCodec.Encode(entry);
        var random = new Random(7);

        for (var round = 0; round < 2000; round++)
        {
            var copy = (byte[])encoded.Clone();
            var flips = random.Next(1, 6);
            for (var f = 0; f < flips; f++)
            {
                copy[random.Next(copy.Length)] = (byte)random.Next(256);
            }

            AssertCorruptOrSame(entry, EntryCodec.Decode(copy.AsSpan(0, random.Next(copy.Length + 1))));
        }
    }

    [Fact]
    public void Decode_RandomGarbage_IsCorrupt()
    {
        var random = new Random(3);
        for (var round = 0; round < 500; round++)
        {
            var garbage = new byte[random.Next(0, 300)];
            random.NextBytes(garbage);
            if (garbage.Length >= 4 && round % 2 == 0)
            {
                "SHCE"u8.CopyTo(garbage);
            }

            Assert.IsType<EntryDecodeResult.Corrupt>(EntryCodec.Decode(garbage));
        }
    }

    [Theory]
    [InlineData(0, (byte)'X', "bad magic")]
    [InlineData(4, (byte)2, "version")]
    [InlineData(6, (byte)9, "compression")]
    [InlineData(7, (byte)1, "flags")]
    public void Decode_BadHeaderField_NamesTheReason(int offset, byte value, string expected)
    {
        var encoded = EntryCodec.Encode(Sample());
        encoded[offset] = value;

        var corrupt = Assert.IsType<EntryDecodeResult.Corrupt>(EntryCodec.Decode(encoded));

        Assert.Contains(expected, corrupt.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData(3L << 30)]
    [InlineData(long.MaxValue)]
    [InlineData(1L << 20)]
    public void Decode_AbsurdDeclaredLength_IsCorrupt(long declared)
    {
        var encoded = EntryCodec.Encode(Sample());
        BinaryPrimitives.WriteInt64LittleEndian(encoded.AsSpan(8), declared);

        Assert.IsType<EntryDecodeResult.Corrupt>(EntryCodec.Decode(encoded));
    }

    [Fact]
    public void Decode_ChecksumMismatch_IsCorrupt()
    {
        var encoded = EntryCodec.Encode(Sample());
        encoded[24] ^= 0x40;

        var corrupt = Assert.IsType<EntryDecodeResult.Corrupt>(EntryCodec.Decode(encoded));

        Assert.Contains("checksum", corrupt.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_BadZstdData_IsCorrupt()
    {
        var encoded = EntryCodec.Encode(Sample());
        new Random(1).NextBytes(encoded.AsSpan(36));

        Assert.IsType<EntryDecodeResult.Corrupt>(EntryCodec.Decode(encoded));
    }

    [Fact]
    public void Decode_TrailingBytes_IsCorrupt()
    {
        var encoded = EntryCodec.Encode(Sample());

        Assert.IsType<EntryDecodeResult.Corrupt>(EntryCodec.Decode([.. encoded, 0]));
    }

    [Fact]
    public void Decode_DecodedContent_IsIndependentOfInput()
    {
        var entry = Sample();
        var encoded = EntryCodec.Encode(entry);
        var decoded = AssertOk(EntryCodec.Decode(encoded));

        Array.Clear(encoded);

        AssertSame(entry, decoded);
    }

    private static CacheEntry Sample()
    {
        var random = new Random(11);
        var obj = new byte[5000];
        random.NextBytes(obj);
        return new CacheEntry
        {
            Stdout = "some stdout\n"u8.ToArray(),
            Stderr = "x.c:1:2: warning: unused [-Wunused]\n"u8.ToArray(),
            Files =
            [
                new EntryFile("obj", Mode644, obj),
                new EntryFile("d", Mode644, "x.o: x.c x.h\n"u8.ToArray()),
                new EntryFile("dwo", Mode755, ReadOnlyMemory<byte>.Empty),
                new EntryFile("émoji-✓", Mode600, new byte[] { 0, 255, 0, 1 }),
            ],
        };
    }

    private static CacheEntry AssertOk(EntryDecodeResult result)
    {
        var ok = Assert.IsType<EntryDecodeResult.Ok>(result);
        return ok.Entry;
    }

    private static void AssertCorruptOrSame(CacheEntry expected, EntryDecodeResult result)
    {
        if (result is EntryDecodeResult.Ok ok)
        {
            AssertSame(expected, ok.Entry);
        }
        else
        {
            Assert.IsType<EntryDecodeResult.Corrupt>(result);
        }
    }

    private static void AssertSame(CacheEntry expected, CacheEntry actual)
    {
        Assert.True(expected.Stdout.Span.SequenceEqual(actual.Stdout.Span), "stdout differs");
        Assert.True(expected.Stderr.Span.SequenceEqual(actual.Stderr.Span), "stderr differs");
        Assert.Equal(expected.Files.Count, actual.Files.Count);
        for (var i = 0; i < expected.Files.Count; i++)
        {
            Assert.Equal(expected.Files[i].Name, actual.Files[i].Name);
            Assert.Equal(expected.Files[i].UnixMode, actual.Files[i].UnixMode);
            Assert.True(expected.Files[i].Content.Span.SequenceEqual(actual.Files[i].Content.Span), $"file {i} differs");
        }
    }
}
