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
}
