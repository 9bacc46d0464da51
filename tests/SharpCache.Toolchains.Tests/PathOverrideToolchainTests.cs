namespace SharpCache.Toolchains.Tests;

public sealed class PathOverrideToolchainTests
{
    [Fact]
    public void Load_PackagedArchive_SameContentIdAndCount()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("gcc.tar.gz");
        ToolchainArchive packaged;
        using (var output = File.Create(path))
        {
            packaged = ToolchainPackager.Package("/usr/bin/gcc", output);
        }

        var loaded = PathOverrideToolchain.Load("/usr/local/bin/my-gcc", path, "/usr/bin/gcc");
        Assert.Equal(packaged, loaded);
    }

    [Fact]
    public void Load_CompilerNotInArchive_ClearError()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("gcc.tar.gz");
        using (var output = File.Create(path))
        {
            ToolchainPackager.Package("/usr/bin/gcc", output);
        }

        var error = Assert.Throws<ToolchainPackagingException>(() => PathOverrideToolchain.Load("/usr/bin/gcc", path, "/opt/gcc/bin/gcc"));
        Assert.Contains("'/opt/gcc/bin/gcc' is not in", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_XzArchive_HashedNotCounted()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.Combine("t", "bin"));
        await File.WriteAllTextAsync(temp.Combine("t", "bin", "cc"), "#!/bin/sh\n");
        var (exit, output) = await Run.ProcessAsync("tar", ["-cJf", temp.Combine("t.tar.xz"), "-C", temp.Combine("t"), "bin"]);
        Assert.True(exit == 0, output);
        var loaded = PathOverrideToolchain.Load("/usr/bin/cc", temp.Combine("t.tar.xz"), "/bin/cc");
        Assert.Null(loaded.FileCount);
        Assert.Equal(SandboxCompile.HashOf(temp.Combine("t.tar.xz")), loaded.ContentId);
        Assert.Equal("/bin/cc", loaded.CompilerPath);
    }

    [Fact]
    public void Load_BadPaths_ClearErrors()
    {
        using var temp = new TempDirectory();
        Assert.Contains("does not exist", Assert.Throws<ToolchainPackagingException>(() => PathOverrideToolchain.Load("/usr/bin/cc", temp.Combine("none.tar.gz"), "/bin/cc")).Message, StringComparison.Ordinal);
        Assert.Contains("absolute", Assert.Throws<ToolchainPackagingException>(() => PathOverrideToolchain.Load("cc", temp.Combine("none.tar.gz"), "/bin/cc")).Message, StringComparison.Ordinal);
        File.WriteAllBytes(temp.Combine("junk.tar.gz"), [0x1f, 0x8b, 0x08, 0x00, 0x42, 0x42, 0x42]);
        Assert.Contains("cannot read", Assert.Throws<ToolchainPackagingException>(() => PathOverrideToolchain.Load("/usr/bin/cc", temp.Combine("junk.tar.gz"), "/bin/cc")).Message, StringComparison.Ordinal);
    }
}
