using SharpCache.Core.Compilers.Rust;

namespace SharpCache.Core.Tests.Compilers.Rust;

public sealed class RustOutputNamesTests
{
    private static RustCompilation Parse(params string[] args) =>
        Assert.IsType<RustParseResult.Cacheable>(RustArgumentParser.Parse(args, "/ws")).Compilation;

    [Fact]
    public void For_CargoLibrary_RlibRmetaAndDepInfo()
    {
        var c = Parse("--crate-name", "serde", "src/lib.rs", "--crate-type", "lib", "--emit=dep-info,metadata,link", "-C", "extra-filename=-abc", "--out-dir", "o");

        Assert.Equal(["libserde-abc.rlib", "libserde-abc.rmeta", "serde-abc.d"], RustOutputNames.For(c));
    }

    [Fact]
    public void For_LibAndRlibAndStaticlib_Deduplicates()
    {
        var c = Parse("--crate-name", "x", "src/lib.rs", "--crate-type", "lib,rlib", "--crate-type", "staticlib", "--out-dir", "o");

        Assert.Equal(["libx.rlib", "libx.a"], RustOutputNames.For(c));
    }

    [Fact]
    public void For_MsvcStaticlib_UsesDotLib()
    {
        var c = Parse("--crate-name", "x", "src/lib.rs", "--crate-type", "staticlib", "--target", "x86_64-pc-windows-msvc", "--out-dir", "o");

        Assert.Equal(["x.lib"], RustOutputNames.For(c));
    }

    [Fact]
    public void For_BuildScript_ExecutableAndDepInfo()
    {
        var c = Parse("--crate-name", "build_script_build", "build.rs", "--crate-type", "bin", "--emit=dep-info,link", "-C", "extra-filename=-68259d", "--out-dir", "o");

        Assert.Equal(["build_script_build-68259d", "build_script_build-68259d.d"], RustOutputNames.For(c));
    }

    [Theory]
    [InlineData("proc-macro")]
    [InlineData("dylib")]
    [InlineData("cdylib")]
    public void For_SharedObjectCrateTypes_LibDotSo(string type)
    {
        var c = Parse("--crate-name", "serde_derive", "src/lib.rs", "--crate-type", type, "--emit=dep-info,link", "-C", "extra-filename=-1a", "--out-dir", "o");

        Assert.Equal(["libserde_derive-1a.so", "serde_derive-1a.d"], RustOutputNames.For(c));
    }

    [Fact]
    public void For_DylibAndRlib_BothFiles()
    {
        var c = Parse("--crate-name", "x", "src/lib.rs", "--crate-type", "dylib,rlib", "--emit=link", "--out-dir", "o");

        Assert.Equal(["libx.so", "libx.rlib"], RustOutputNames.For(c));
    }
}
