using System.Formats.Tar;
using System.IO.Compression;

namespace SharpCache.Toolchains.Tests;

public sealed class ToolchainPackagerTests
{
    [Fact]
    public void Package_SameCompilerTwice_ByteIdenticalWithSameContentId()
    {
        using var first = new MemoryStream();
        using var second = new MemoryStream();
        var a = ToolchainPackager.Package("/usr/bin/gcc", first);
        var b = ToolchainPackager.Package("/usr/bin/gcc", second);
        Assert.Equal(a, b);
        Assert.True(first.ToArray().AsSpan().SequenceEqual(second.ToArray()));
        Assert.Equal(first.Length, a.Size);
    }

    [Theory]
    [InlineData("gcc", "g++")]
    [InlineData("clang", "clang++")]
    public void Package_CAndCxxDrivers_OneArchiveWithBoth(string c, string cxx)
    {
        using var cArchive = new MemoryStream();
        using var cxxArchive = new MemoryStream();
        var a = ToolchainPackager.Package("/usr/bin/" + c, cArchive);
        var b = ToolchainPackager.Package("/usr/bin/" + cxx, cxxArchive);

        Assert.Equal(a.ContentId, b.ContentId);
        Assert.True(cArchive.ToArray().AsSpan().SequenceEqual(cxxArchive.ToArray()));
        Assert.Equal(("/usr/bin/" + c, "/usr/bin/" + cxx), (a.CompilerPath, b.CompilerPath));
        var names = ReadEntries(cArchive).Select(e => e.Name).ToList();
        Assert.Contains("usr/bin/" + c, names);
        Assert.Contains("usr/bin/" + cxx, names);
    }

    [Theory]
    [InlineData("gcc", "g++", false)]
    [InlineData("g++", "gcc", false)]
    [InlineData("cc", "c++", false)]
    [InlineData("c++", "cc", false)]
    [InlineData("clang", "clang++", true)]
    [InlineData("clang++", "clang", true)]
    public void Partner_OtherDriverOfTheSameCompiler(string driver, string partner, bool clang)
    {
        Assert.Equal("/usr/bin/" + partner, ToolchainPackager.Partner("/usr/bin/" + driver, clang ? CompilerFamily.Clang : CompilerFamily.Gcc));
    }

    [Fact]
    public void Partner_VersionedNamesAndNoneForAnotherCompiler()
    {
        var prefix = ToolProcess.Run("/usr/bin/gcc", "-dumpmachine").Stdout.Trim() + "-gcc-";
        var versioned = Directory.EnumerateFiles("/usr/bin", prefix + "*")
            .Where(f => char.IsAsciiDigit(Path.GetFileName(f)[prefix.Length])).Order(StringComparer.Ordinal).FirstOrDefault();
        Assert.True(versioned is not null, $"no {prefix}N in /usr/bin (Debian's gcc package has it)");
        Assert.Equal(versioned.Replace("-gcc-", "-g++-", StringComparison.Ordinal), ToolchainPackager.Partner(versioned, CompilerFamily.Gcc));

        using var temp = new TempDirectory();
        // A "g++" beside it that is not the same gcc (not a compiler at all) is no partner.
        File.CreateSymbolicLink(temp.Combine("gcc"), "/usr/bin/gcc");
        File.CreateSymbolicLink(temp.Combine("g++"), "/bin/true");
        Assert.Null(ToolchainPackager.Partner(temp.Combine("gcc"), CompilerFamily.Gcc));
        Assert.Null(ToolchainPackager.Partner(temp.Combine("other"), CompilerFamily.Gcc));
        File.CreateSymbolicLink(temp.Combine("clang"), "/usr/bin/clang");
        File.CreateSymbolicLink(temp.Combine("clang++"), "/usr/bin/g++");
        Assert.Null(ToolchainPackager.Partner(temp.Combine("clang"), CompilerFamily.Clang));
    }

    [Fact]
    public void Package_Gcc_HasHelpersLoaderAndRelativeSymlinksOnly()
    {
        using var archive = new MemoryStream();
        ToolchainPackager.Package("/usr/bin/cc", archive);
        var entries = ReadEntries(archive);
        var cc1 = new FileInfo(ProgName("cc1")).FullName.TrimStart('/');
        Assert.Contains(entries, e => e.Name.EndsWith("/cc1", StringComparison.Ordinal) && e.EntryType == TarEntryType.RegularFile);
        Assert.Contains(entries, e => e.Name.EndsWith("/cc1plus", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Name.EndsWith("/as", StringComparison.Ordinal) || e.Name.Contains("-as", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Name.Contains("ld-linux", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Name.Contains("libc.so", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Name == "usr/bin/cc" && e.EntryType == TarEntryType.SymbolicLink);
        Assert.Contains(entries, e => e.Name == "usr/bin/objcopy"); // -gsplit-dwarf runs it
        Assert.DoesNotContain(entries, e => Path.GetFileName(e.Name) is "lto1" or "collect2" or "lto-wrapper"); // link time only
        Assert.NotEmpty(cc1);
        Assert.All(entries, e =>
        {
            Assert.False(e.Name.StartsWith('/'), e.Name);
            Assert.DoesNotContain("..", e.Name.Split('/'));
            Assert.True(e.EntryType is TarEntryType.RegularFile or TarEntryType.Directory or TarEntryType.SymbolicLink, e.Name);
            Assert.Equal(0, e.Uid);
            Assert.Equal(new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero), e.ModificationTime);
            if (e.EntryType == TarEntryType.SymbolicLink)
            {
                Assert.False(e.LinkName.StartsWith('/'), $"{e.Name} -> {e.LinkName}");
            }
        });
        var names = entries.Select(e => e.Name).ToList();
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
    }

    [Fact]
    public void Package_MissingCompiler_ClearError()
    {
        using var output = new MemoryStream();
        var error = Assert.Throws<ToolchainPackagingException>(() => ToolchainPackager.Package("/nonexistent/dir/gcc", output));
        Assert.Contains("'/nonexistent/dir/gcc' does not exist", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, output.Length);
    }

    [Fact]
    public void Package_NotACompiler_ClearError()
    {
        using var output = new MemoryStream();
        var error = Assert.Throws<ToolchainPackagingException>(() => ToolchainPackager.Package("/bin/true", output));
        Assert.Contains("not a compiler that can be packaged", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Package_Directory_ClearError()
    {
        using var temp = new TempDirectory();
        var error = Assert.Throws<ToolchainPackagingException>(() => ToolchainPackager.Package(temp.Path, Stream.Null));
        Assert.Contains("is a directory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_SymlinkChain_RecordsEveryLinkRelative()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.Combine("real", "bin"));
        File.WriteAllText(temp.Combine("real", "bin", "tool"), "x");
        File.CreateSymbolicLink(temp.Combine("alias"), temp.Combine("real"));
        File.CreateSymbolicLink(temp.Combine("real", "bin", "t"), "tool");
        var files = new ToolchainFileSet();
        var canonical = files.AddFile(temp.Combine("alias", "bin", "t"));
        Assert.Equal(temp.Combine("real", "bin", "tool"), canonical);
        Assert.Equal("real", files.Entries[temp.Combine("alias")[1..]].LinkTarget);
        Assert.Equal("tool", files.Entries[temp.Combine("real", "bin", "t")[1..]].LinkTarget);
        Assert.NotNull(files.Entries[temp.Combine("real", "bin", "tool")[1..]].HostPath);
    }

    [Fact]
    public async Task FileSet_DevicesAndFifos_NeverPackaged()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.Combine("tree"));
        File.WriteAllText(temp.Combine("tree", "lib.rlib"), "x");
        var (exit, output) = await Run.ProcessAsync("mkfifo", [temp.Combine("tree", "pipe")]);
        Assert.True(exit == 0, output);
        var files = new ToolchainFileSet();
        files.AddTree(temp.Combine("tree"));
        Assert.Equal([temp.Combine("tree", "lib.rlib")[1..]], files.Entries.Keys);
        Assert.Contains("not a regular file", Assert.Throws<ToolchainPackagingException>(() => files.AddFile("/dev/null")).Message, StringComparison.Ordinal);
    }

    internal static List<TarEntry> ReadEntries(MemoryStream archive)
    {
        archive.Position = 0;
        using var gzip = new GZipStream(archive, CompressionMode.Decompress, leaveOpen: true);
        using var reader = new TarReader(gzip);
        var entries = new List<TarEntry>();
        while (reader.GetNextEntry() is { } entry)
        {
            entries.Add(entry);
        }

        return entries;
    }

    private static string ProgName(string program)
    {
        var (_, output) = Run.ProcessAsync("/usr/bin/gcc", ["-print-prog-name=" + program]).GetAwaiter().GetResult();
        return output.Trim();
    }
}
