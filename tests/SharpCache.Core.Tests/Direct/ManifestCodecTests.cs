using System.Buffers.Binary;
using SharpCache.Core.Direct;

namespace SharpCache.Core.Tests.Direct;

public sealed class ManifestCodecTests
{
    [Fact]
    public void Encode_SmallManifest_RoundTripsUncompressed()
    {
        var manifest = Sample(files: 3, probes: 2, key: "k1");

        var bytes = ManifestCodec.Encode(manifest);

        Assert.Equal("SHCM"u8.ToArray(), bytes[..4]);
        Assert.Equal(0, bytes[6]);
        AssertSame(manifest, ManifestCodec.Decode(bytes));
    }

    [Fact]
    public void Encode_LargeManifest_RoundTripsCompressed()
    {
        var manifest = Sample(files: 500, probes: 300, key: "k1");

        var bytes = ManifestCodec.Encode(manifest);

        Assert.Equal(1, bytes[6]);
        AssertSame(manifest, ManifestCodec.Decode(bytes));
    }

    [Fact]
    public void Encode_EmptyManifest_RoundTrips()
    {
        AssertSame(Manifest.Empty, ManifestCodec.Decode(ManifestCodec.Encode(Manifest.Empty)));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(300)]
    public void Decode_TruncatedAtEveryOffset_ReturnsNull(int files)
    {
        var bytes = ManifestCodec.Encode(Sample(files, files, "key"));

        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.Null(ManifestCodec.Decode(bytes.AsSpan(0, length)));
        }

        Assert.Null(ManifestCodec.Decode([.. bytes, 0]));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(300)]
    public void Decode_RandomCorruption_NeverThrowsNorDecodesSomethingElse(int files)
    {
        var original = Sample(files, files, "key");
        var bytes = ManifestCodec.Encode(original);
        var random = new Random(files);
        for (var round = 0; round < 3000; round++)
        {
            var corrupted = (byte[])bytes.Clone();
            var flips = 1 + random.Next(4);
            for (var i = 0; i < flips; i++)
            {
                corrupted[random.Next(corrupted.Length)] ^= (byte)(1 + random.Next(255));
            }

            if (ManifestCodec.Decode(corrupted) is { } decoded)
            {
                // Only a flip that cancels out (or lands in ignored bits) may decode, and then to the same thing.
                AssertSame(original, decoded);
            }
        }
    }

    [Fact]
    public void Decode_ValidChecksumButBadIndex_ReturnsNull()
    {
        // Payload: no paths, one file record pointing at path 0.
        var payload = new byte[4 + 4 + ManifestFormat.FileRecordSize + 4 + 4 + 4];
        BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(4), 1);
        var bytes = WithHeader(payload);

        Assert.False(ManifestCodec.TryDecode(bytes, out _, out var reason));
        Assert.Contains("table", reason);
    }

    [Fact]
    public void Decode_AbsurdCounts_ReturnsNullWithoutAllocating()
    {
        var payload = new byte[20];
        BinaryPrimitives.WriteInt32LittleEndian(payload, int.MaxValue);

        Assert.Null(ManifestCodec.Decode(WithHeader(payload)));
    }

    [Fact]
    public void Decode_OtherVersionOrMagic_ReturnsNull()
    {
        var bytes = ManifestCodec.Encode(Sample(2, 2, "k"));
        var otherVersion = (byte[])bytes.Clone();
        otherVersion[4] = 2;
        var otherMagic = (byte[])bytes.Clone();
        otherMagic[3] = (byte)'E';

        Assert.Null(ManifestCodec.Decode(otherVersion));
        Assert.Null(ManifestCodec.Decode(otherMagic));
    }

    internal static Manifest Sample(int files, int probes, string key, int seed = 1)
    {
        var paths = new List<string>();
        var fileRecords = new ManifestFile[files];
        for (var i = 0; i < files; i++)
        {
            paths.Add($"/usr/include/dir{i % 7}/header{i}-{seed}.h");
            fileRecords[i] = new ManifestFile(paths.Count - 1, new FileDigest((ulong)i, (ulong)seed, 3, 4), new FileStamp(i, 1_700_000_000_000_000_000 + i, 1_700_000_000_000_000_001, (ulong)(1000 + i), 2049));
        }

        paths.Add("inc");
        var directories = new[] { new ManifestProbeDirectory(paths.Count - 1, true, new FileStamp(4096, 5, 6, 7, 8)), new ManifestProbeDirectory(paths.Count - 1, false, default) };
        var probeRecords = new ManifestProbe[probes];
        for (var i = 0; i < probes; i++)
        {
            paths.Add($"inc/probe{i}-é.h");
            probeRecords[i] = new ManifestProbe(paths.Count - 1, i % 2);
        }

        var entry = new ManifestEntry([.. Enumerable.Range(0, files)], [.. Enumerable.Range(0, probes)], key);
        return new Manifest([.. paths], fileRecords, directories, probeRecords, [entry]);
    }

    internal static void AssertSame(Manifest expected, Manifest? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Paths, actual.Paths);
        Assert.Equal(expected.Files, actual.Files);
        Assert.Equal(expected.ProbeDirectories, actual.ProbeDirectories);
        Assert.Equal(expected.Probes, actual.Probes);
        Assert.Equal(expected.Entries.Length, actual.Entries.Length);
        for (var i = 0; i < expected.Entries.Length; i++)
        {
            Assert.Equal(expected.Entries[i].FileIndices, actual.Entries[i].FileIndices);
            Assert.Equal(expected.Entries[i].ProbeIndices, actual.Entries[i].ProbeIndices);
            Assert.Equal(expected.Entries[i].ResultKey, actual.Entries[i].ResultKey);
        }
    }

    private static byte[] WithHeader(byte[] payload)
    {
        var bytes = new byte[SharpCache.Core.Formats.BlobHeader.Size + payload.Length];
        "SHCM"u8.CopyTo(bytes);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(4), ManifestFormat.Version);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(8), payload.Length);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(16), payload.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(24), System.IO.Hashing.XxHash3.HashToUInt64(payload));
        payload.CopyTo(bytes, SharpCache.Core.Formats.BlobHeader.Size);
        return bytes;
    }
}
