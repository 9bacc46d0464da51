using System.Buffers.Binary;
using System.Text;
using SharpCache.Dist.Archives;
using SharpCache.Dist.Protocol;

namespace SharpCache.Dist.Tests.Archives;

public sealed class StreamedInputsReaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpcache-dist-stream-").FullName;

    private string Root => Path.Combine(_dir, "root");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Builds a body of records the way <c>StreamedJobContent</c> sends them.</summary>
    private sealed class Body
    {
        private readonly MemoryStream _bytes = new();

        public Body File(string path)
        {
            _bytes.Write(JobInputRecords.FileRecord(path));
            return this;
        }

        public Body Data(string text) => Data(Encoding.UTF8.GetBytes(text));

        public Body Data(byte[] data)
        {
            var header = new byte[JobInputRecords.DataHeaderLength];
            JobInputRecords.WriteDataHeader(header, data.Length);
            _bytes.Write(header);
            _bytes.Write(data);
            return this;
        }

        public Body Raw(params byte[] bytes)
        {
            _bytes.Write(bytes);
            return this;
        }

        public Body End() => Raw(JobInputRecords.End);

        public MemoryStream Stream() => new(_bytes.ToArray());
    }

    private async Task<UnpackResult> ReceiveAsync(Body body, UnpackLimits? limits = null) =>
        await StreamedInputsReader.ReceiveAsync(body.Stream(), Root, limits ?? new UnpackLimits(1 << 20, 10, AllowLinks: false), CancellationToken.None);

    [Fact]
    public async Task Receive_ContentCompletedWithRestOverOneRecord_WrittenWhole()
    {
        // What StreamedJobContent sends when the daemon completes a job with a rest larger than one data record: the reader
        // (the build server's) gets every piece of it in order, then the other file, then the end.
        var content = new SharpCache.Dist.Client.StreamedJobContent(new RunJobRequest { Executable = "/bin/cc", Cwd = "/w" });
        content.BeginFile("/w/a.i");
        content.Append("head:"u8.ToArray());
        var rest = new byte[JobInputRecords.MaxDataLength + 1000];
        Array.Fill(rest, (byte)'r');
        rest[^1] = (byte)'!';
        content.Complete(rest, [new("/w/b.c", "int b;\n"u8.ToArray())]);
        using var body = new MemoryStream();
        await content.CopyToAsync(body);
        body.Position = 0;
        var command = await Frame.ReadAsync(body, DistJsonContext.Default.RunJobRequest, Frame.MaxFrameLength, CancellationToken.None);
        Assert.Equal("/bin/cc", command.Executable);

        var result = await StreamedInputsReader.ReceiveAsync(body, Root, new UnpackLimits(64 << 20, 10, AllowLinks: false), CancellationToken.None);

        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.Equal(2, result.Entries);
        var a = await File.ReadAllBytesAsync(Path.Combine(Root, "w/a.i"));
        Assert.Equal(5 + rest.Length, a.Length);
        Assert.Equal("head:rr"u8.ToArray(), a[..7]);
        Assert.Equal((byte)'!', a[^1]);
        Assert.Equal("int b;\n", await File.ReadAllTextAsync(Path.Combine(Root, "w/b.c")));
    }

    [Fact]
    public async Task Receive_FilesInSeveralDataRecords_WrittenWhole()
    {
        var result = await ReceiveAsync(new Body().File("/build/src/a.i").Data("int a").Data("(void);\n").Data("")
            .File("/build/src/b.c").Data("int b;\n").File("/build/empty.h").End());

        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.Equal(3, result.Entries);
        Assert.Equal(20, result.Bytes);
        Assert.Equal("int a(void);\n", await File.ReadAllTextAsync(Path.Combine(Root, "build/src/a.i")));
        Assert.Equal("int b;\n", await File.ReadAllTextAsync(Path.Combine(Root, "build/src/b.c")));
        Assert.Equal(0, new FileInfo(Path.Combine(Root, "build/empty.h")).Length);
    }

    [Fact]
    public async Task Receive_BodyEndsBeforeEndRecord_RefusedAsGivenUp()
    {
        var result = await ReceiveAsync(new Body().File("/w/a.i").Data("int a;"));
        Assert.Equal(UnpackErrorKind.Corrupt, result.Error?.Kind);
        Assert.Contains("end record", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Receive_BytesAfterEndRecord_Refused()
    {
        var result = await ReceiveAsync(new Body().File("/w/a.i").Data("x").End().Raw(JobInputRecords.End));
        Assert.Equal(UnpackErrorKind.Corrupt, result.Error?.Kind);
    }

    [Theory]
    [InlineData("/w/../../etc/passwd", UnpackErrorKind.PathTraversal)]
    [InlineData("../x", UnpackErrorKind.PathTraversal)]
    [InlineData("/w/a\\..\\b", UnpackErrorKind.PathTraversal)]
    [InlineData("/", UnpackErrorKind.PathTraversal)]
    [InlineData("/w/nul\0x", UnpackErrorKind.PathTraversal)]
    public async Task Receive_BadPath_RefusedNothingWrittenOutside(string path, UnpackErrorKind kind)
    {
        var result = await ReceiveAsync(new Body().File(path).Data("x").End());
        Assert.Equal(kind, result.Error?.Kind);
        Assert.False(File.Exists(Path.Combine(_dir, "x")));
    }

    [Fact]
    public async Task Receive_SamePathTwiceOrFileOverDirectory_Refused()
    {
        var twice = await ReceiveAsync(new Body().File("/w/a.i").Data("1").File("/w/a.i").Data("2").End());
        Assert.Equal(UnpackErrorKind.UnsupportedEntry, twice.Error?.Kind);
        Assert.Equal("1", await File.ReadAllTextAsync(Path.Combine(Root, "w/a.i")));

        Directory.Delete(Root, recursive: true);
        var overDirectory = await ReceiveAsync(new Body().File("/w/d/a.i").Data("1").File("/w/d").End());
        Assert.Equal(UnpackErrorKind.UnsupportedEntry, overDirectory.Error?.Kind);

        Directory.Delete(Root, recursive: true);
        var underFile = await ReceiveAsync(new Body().File("/w/f").Data("1").File("/w/f/a.i").End());
        Assert.Equal(UnpackErrorKind.UnsupportedEntry, underFile.Error?.Kind);
    }

    [Fact]
    public async Task Receive_OverLimits_Refused()
    {
        var tooLarge = await ReceiveAsync(new Body().File("/w/a").Data(new byte[600]).Data(new byte[600]).End(), new UnpackLimits(1000, 10, AllowLinks: false));
        Assert.Equal(UnpackErrorKind.TooLarge, tooLarge.Error?.Kind);

        Directory.Delete(Root, recursive: true);
        var body = new Body();
        for (var i = 0; i < 4; i++)
        {
            body.File($"/w/{i}").Data("x");
        }

        var tooMany = await ReceiveAsync(body.End(), new UnpackLimits(1000, 3, AllowLinks: false));
        Assert.Equal(UnpackErrorKind.TooManyFiles, tooMany.Error?.Kind);
    }

    [Fact]
    public async Task Receive_MalformedRecords_RefusedAsCorrupt()
    {
        var cases = new Body[]
        {
            new Body().Data("data before any file").End(),
            new Body().Raw(7).End(), // unknown kind
            new Body().Raw(JobInputRecords.File, 0, 0).End(), // empty path
            new Body().Raw(JobInputRecords.File, 0, 5, (byte)'/', (byte)'w').End(), // path cut
            new Body().Raw(JobInputRecords.File, 0, 3, (byte)'/', 0xC3, 0x28).End(), // not UTF-8
            new Body().File("/w/a").Raw(JobInputRecords.Data, 0, 0, 0, 10, 1, 2).End(), // data cut
            new Body().File("/w/a").Raw(JobInputRecords.Data, 0xFF, 0xFF, 0xFF, 0xFF), // data record over the maximum
            new Body().File("/w/a").Raw(JobInputRecords.Data, 0), // header cut
        };
        foreach (var body in cases)
        {
            if (Directory.Exists(Root))
            {
                Directory.Delete(Root, recursive: true);
            }

            var result = await ReceiveAsync(body);
            Assert.Equal(UnpackErrorKind.Corrupt, result.Error?.Kind);
        }
    }

    [Fact]
    public void FileRecord_EmptyOrOverlongPath_Throws()
    {
        Assert.Throws<ArgumentException>(() => JobInputRecords.FileRecord(""));
        Assert.Throws<ArgumentException>(() => JobInputRecords.FileRecord(new string('a', JobInputRecords.MaxPathBytes + 1)));
        var record = JobInputRecords.FileRecord("/é");
        Assert.Equal(JobInputRecords.File, record[0]);
        Assert.Equal(3, BinaryPrimitives.ReadUInt16BigEndian(record.AsSpan(1)));
    }
}
