using System.Formats.Tar;
using System.IO.Compression;
using SharpCache.Dist.Archives;

namespace SharpCache.Dist.Tests.Archives;

public sealed class SafeTarExtractorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpcache-dist-tar-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private async Task<UnpackResult> ExtractAsync(byte[] archive, UnpackLimits? limits = null)
    {
        using var stream = new MemoryStream(archive);
        return await SafeTarExtractor.ExtractAsync(stream, Path.Combine(_dir, "out"), limits ?? new UnpackLimits(1 << 20, 100), CancellationToken.None);
    }

    [Fact]
    public async Task Extract_GoodGzipArchive_UnpacksFilesLinksAndModes()
    {
        var tar = new TarBuilder().Dir("usr/bin").File("usr/bin/cc", "#!/bin/sh\n", (UnixFileMode)0xFED /* 07755 */)
            .Symlink("usr/bin/c++", "cc").Symlink("lib64", "/usr/lib").HardLink("usr/bin/cc2", "usr/bin/cc").ToArray();
        using var gz = new MemoryStream();
        await using (var zip = new GZipStream(gz, CompressionLevel.Fastest, leaveOpen: true))
        {
            await zip.WriteAsync(tar);
        }

        var result = await ExtractAsync(gz.ToArray());
        Assert.True(result.Succeeded, result.Error?.ToString());
        var cc = Path.Combine(_dir, "out/usr/bin/cc");
        Assert.Equal("#!/bin/sh\n", await File.ReadAllTextAsync(cc));
        Assert.Equal((UnixFileMode)0x1ED, File.GetUnixFileMode(cc)); // setuid/setgid/sticky dropped
        Assert.Equal("cc", new FileInfo(Path.Combine(_dir, "out/usr/bin/c++")).LinkTarget);
        Assert.Equal("#!/bin/sh\n", await File.ReadAllTextAsync(Path.Combine(_dir, "out/usr/bin/cc2")));
    }

    [Theory]
    [InlineData("../evil", UnpackErrorKind.PathTraversal)]
    [InlineData("a/../../evil", UnpackErrorKind.PathTraversal)]
    [InlineData("/etc/evil", UnpackErrorKind.AbsolutePath)]
    public async Task Extract_BadName_Rejected(string name, UnpackErrorKind kind)
    {
        var result = await ExtractAsync(new TarBuilder().File(name, "x").ToArray());
        Assert.Equal(kind, result.Error?.Kind);
        Assert.False(File.Exists(Path.Combine(_dir, "evil")));
    }

    [Theory]
    [InlineData("link", "../../etc/passwd")]
    [InlineData("a/b/link", "../../../outside")]
    [InlineData("link", "/../../etc")]
    public async Task Extract_SymlinkEscapingRoot_Rejected(string name, string target)
    {
        var result = await ExtractAsync(new TarBuilder().Symlink(name, target).ToArray());
        Assert.Equal(UnpackErrorKind.SymlinkEscapes, result.Error?.Kind);
    }

    [Fact]
    public async Task Extract_WriteThroughSymlink_Rejected()
    {
        var outside = Path.Combine(_dir, "outside");
        Directory.CreateDirectory(outside);
        var result = await ExtractAsync(new TarBuilder().Symlink("dir", outside.TrimStart('/')).File("dir/passwd", "owned").ToArray());
        Assert.Equal(UnpackErrorKind.ThroughSymlink, result.Error?.Kind);
        Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
    }

    [Theory]
    [InlineData(TarEntryType.CharacterDevice)]
    [InlineData(TarEntryType.BlockDevice)]
    [InlineData(TarEntryType.Fifo)]
    public async Task Extract_DeviceOrFifo_Rejected(TarEntryType type)
    {
        var result = await ExtractAsync(new TarBuilder().Entry(type, "dev/node").ToArray());
        Assert.Equal(UnpackErrorKind.DeviceOrFifo, result.Error?.Kind);
    }

    [Fact]
    public async Task Extract_MoreBytesThanLimit_RejectedAsSizeBomb()
    {
        var result = await ExtractAsync(new TarBuilder().File("big", new byte[5000]).ToArray(), new UnpackLimits(4096, 100));
        Assert.Equal(UnpackErrorKind.TooLarge, result.Error?.Kind);
        Assert.Contains("size bomb", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Extract_MoreEntriesThanLimit_Rejected()
    {
        var builder = new TarBuilder();
        for (var i = 0; i < 11; i++)
        {
            builder.File($"f{i}", "x");
        }

        var result = await ExtractAsync(builder.ToArray(), new UnpackLimits(1 << 20, 10));
        Assert.Equal(UnpackErrorKind.TooManyFiles, result.Error?.Kind);
    }

    [Fact]
    public async Task Extract_HardLinkToUnknownFile_Rejected()
    {
        var result = await ExtractAsync(new TarBuilder().HardLink("x", "etc/shadow").ToArray());
        Assert.Equal(UnpackErrorKind.HardlinkInvalid, result.Error?.Kind);
    }

    [Fact]
    public async Task Extract_LinksWhenNotAllowed_Rejected()
    {
        var result = await ExtractAsync(new TarBuilder().Symlink("x", "y").ToArray(), new UnpackLimits(1 << 20, 10, AllowLinks: false));
        Assert.Equal(UnpackErrorKind.UnsupportedEntry, result.Error?.Kind);
    }

    [Fact]
    public async Task Extract_Garbage_CorruptNotException()
    {
        var result = await ExtractAsync([0x1f, 0x8b, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        Assert.Equal(UnpackErrorKind.Corrupt, result.Error?.Kind);
    }
}
