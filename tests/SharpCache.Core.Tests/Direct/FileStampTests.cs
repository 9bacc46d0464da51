using SharpCache.Core.Direct;

namespace SharpCache.Core.Tests.Direct;

public sealed class FileStampTests
{
    [Fact]
    public void Read_File_ReportsSizeTimesAndInode()
    {
        using var tree = new DirectTree();
        var path = tree.Write("a.h", "12345");
        var mtime = new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(path, mtime);

        Assert.Equal(FileStampStatus.File, FileStamp.Read(path, out var stamp));

        Assert.Equal(5, stamp.Size);
        Assert.Equal((mtime.Ticks - DateTime.UnixEpoch.Ticks) * 100, stamp.MtimeNs);
        Assert.True(stamp.CtimeNs > stamp.MtimeNs);
        Assert.True(stamp.IsTrustworthy);
        Assert.NotEqual(0UL, stamp.Device);
    }

    [Fact]
    public void Read_RewriteWithSameSizeAndMtime_ChangesCtime()
    {
        using var tree = new DirectTree();
        var path = tree.Write("a.h", "aaaa");
        FileStamp.Read(path, out var before);
        Thread.Sleep(20);
        File.WriteAllText(path, "bbbb");
        File.SetLastWriteTimeUtc(path, DateTime.UnixEpoch.AddTicks(before.MtimeNs / 100));

        FileStamp.Read(path, out var after);

        Assert.Equal(before.Size, after.Size);
        Assert.Equal(before.MtimeNs / 100, after.MtimeNs / 100);
        Assert.NotEqual(before, after);
    }

    [Fact]
    public void Read_DirectoryMissingAndNotADirectory_Classified()
    {
        using var tree = new DirectTree();
        var file = tree.Write("a.h", "x");

        Assert.Equal(FileStampStatus.Directory, FileStamp.Read(tree.Root, out _));
        Assert.Equal(FileStampStatus.Missing, FileStamp.Read(tree.Full("nope.h"), out _));
        Assert.Equal(FileStampStatus.Missing, FileStamp.Read(file + "/below.h", out _));
    }
}
