using System.Formats.Tar;
using SharpCache.Dist.Archives;
using SharpCache.Dist.Protocol;

namespace SharpCache.Dist.Tests.Archives;

public sealed class InputsTarTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpcache-inputs-tar-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static List<KeyValuePair<string, ReadOnlyMemory<byte>>> Inputs(params (string Path, int Size)[] files)
    {
        var random = new Random(11);
        var inputs = new List<KeyValuePair<string, ReadOnlyMemory<byte>>>();
        foreach (var (path, size) in files)
        {
            // Each content a slice in the middle of a larger buffer, as the daemon's inputs are slices of a frame.
            var frame = new byte[size + 37];
            random.NextBytes(frame);
            inputs.Add(new(path, frame.AsMemory(17, size)));
        }

        return inputs;
    }

    [Fact]
    public async Task Build_UnpacksWithTheServersExtractor_AtThePathsWithoutTheLeadingSlash()
    {
        var inputs = Inputs(("/src/a very/long/" + new string('d', 120) + "/x.c.sharpcache-dist.i", 1_700_001), ("/src/x.c", 0), ("/src/inc/y.h", 512), ("/src/inc/z.h", 513));
        await using var tar = InputsTar.Build(inputs);
        var root = Path.Combine(_dir, "job");

        var result = await SafeTarExtractor.ExtractAsync(tar, root, new UnpackLimits(10 << 20, 10, AllowLinks: false), CancellationToken.None);

        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.Equal(4, result.Entries);
        foreach (var (path, content) in inputs)
        {
            var unpacked = Path.Combine(root, path.TrimStart('/'));
            Assert.True((await File.ReadAllBytesAsync(unpacked)).AsSpan().SequenceEqual(content.Span), path);
        }
    }

    [Fact]
    public void Build_IsTheArchiveTarWriterWrites_ByteForByte()
    {
        var inputs = Inputs(("/a/b.i", 100_000), ("/a/c", 1), ("/d", 0));
        using var expected = new MemoryStream();
        using (var writer = new TarWriter(expected, TarEntryFormat.Ustar, leaveOpen: true))
        {
            foreach (var (path, content) in inputs)
            {
                writer.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, path.TrimStart('/'))
                {
                    Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                    ModificationTime = DateTimeOffset.UnixEpoch,
                    DataStream = new MemoryStream(content.ToArray()),
                });
            }
        }

        using var tar = InputsTar.Build(inputs);
        using var actual = new MemoryStream();
        tar.CopyTo(actual);

        Assert.Equal(expected.Length, tar.Length);
        Assert.Equal(expected.ToArray(), actual.ToArray());
    }

    [Fact]
    public void Build_DoesNotCopyTheContents()
    {
        var frame = new byte[4096];
        var inputs = new List<KeyValuePair<string, ReadOnlyMemory<byte>>> { new("/x.i", frame.AsMemory(100, 3000)) };
        using var tar = InputsTar.Build(inputs);

        // Changed after the archive was built: the archive reads the frame itself (the daemon keeps the frame until the job's end).
        frame.AsSpan(100, 3000).Fill((byte)'q');
        var bytes = new byte[tar.Length];
        tar.ReadExactly(bytes);

        Assert.Equal(3000, bytes.AsSpan(512, 3000).Count((byte)'q'));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(511)]
    [InlineData(4096)]
    [InlineData(1 << 20)]
    public async Task SegmentStream_ReadsSeeksAndCopies_AcrossSegments(int chunk)
    {
        var random = new Random(chunk);
        var segments = new List<ReadOnlyMemory<byte>>();
        var whole = new List<byte>();
        foreach (var size in (int[])[3, 0, 700, 1, 5000])
        {
            var bytes = new byte[size];
            random.NextBytes(bytes);
            segments.Add(bytes);
            whole.AddRange(bytes);
        }

        await using var stream = new SegmentStream(segments);
        Assert.Equal(whole.Count, stream.Length);
        var read = new List<byte>();
        var buffer = new byte[chunk];
        for (int n; (n = stream.Read(buffer)) > 0;)
        {
            read.AddRange(buffer.AsSpan(0, n).ToArray());
        }

        Assert.Equal(whole, read);
        Assert.Equal(0, stream.Read(buffer));

        // From any position, a copy (sync or async) is the rest; a run sent again starts over at 0.
        foreach (var at in (int[])[0, 2, 3, 4, 703, 704, 705, whole.Count - 1, whole.Count])
        {
            stream.Position = at;
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            Assert.Equal(whole.Skip(at), copy.ToArray());
            Assert.Equal(whole.Count, stream.Position);

            stream.Seek(at - whole.Count, SeekOrigin.End);
            using var syncCopy = new MemoryStream();
            stream.CopyTo(syncCopy);
            Assert.Equal(whole.Skip(at), syncCopy.ToArray());
        }
    }
}
