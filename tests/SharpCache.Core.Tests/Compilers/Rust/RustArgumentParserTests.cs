using SharpCache.Core.Compilers.Rust;

namespace SharpCache.Core.Tests.Compilers.Rust;

public sealed class RustArgumentParserTests
{
    /// <summary>What cargo 1.95 passes for a registry library (trimmed).</summary>
    private static readonly string[] CargoLib =
    [
        "--crate-name", "regex", "--edition=2018", "/reg/regex-1.7.1/src/lib.rs",
        "--error-format=json", "--json=diagnostic-rendered-ansi,artifacts,future-incompat",
        "--crate-type", "lib", "--emit=dep-info,metadata,link", "-C", "embed-bitcode=no",
        "--cfg", "feature=\"std\"", "--cfg", "feature=\"default\"",
        "--check-cfg", "cfg(docsrs,test)",
        "-C", "metadata=07d740a8947b73a8", "-C", "extra-filename=-dcbbd9139befeab2",
        "--out-dir", "/ws/target/debug/deps", "-C", "strip=debuginfo",
        "-L", "dependency=/ws/target/debug/deps",
        "--extern", "memchr=/ws/target/debug/deps/libmemchr-65.rmeta",
        "--cap-lints", "allow", "--diagnostic-width=120",
    ];

    private static RustCompilation Cacheable(IReadOnlyList<string> args)
    {
        var result = RustArgumentParser.Parse(args, "/ws");
        var cacheable = Assert.IsType<RustParseResult.Cacheable>(result);
        return cacheable.Compilation;
    }

    private static string Reason(IReadOnlyList<string> args) =>
        Assert.IsType<RustParseResult.NotCacheable>(RustArgumentParser.Parse(args, "/ws")).Reason;

    [Fact]
    public void Parse_CargoLibrary_IsCacheableWithEveryPart()
    {
        var c = Cacheable(CargoLib);

        Assert.Equal("regex", c.CrateName);
        Assert.Equal(["lib"], c.CrateTypes);
        Assert.Equal("/reg/regex-1.7.1/src/lib.rs", c.InputFile);
        Assert.Equal("/ws/target/debug/deps", c.OutDir);
        Assert.Equal("-dcbbd9139befeab2", c.ExtraFilename);
        Assert.True(c.EmitLink && c.EmitMetadata && c.EmitDepInfo);
        Assert.Equal(["feature=\"default\"", "feature=\"std\""], c.SortedCfgs);
        Assert.Equal([new RustExtern("memchr", "/ws/target/debug/deps/libmemchr-65.rmeta")], c.Externs);
        Assert.False(c.HasDebugInfo);
        Assert.Equal("/ws/target/debug/deps/regex-dcbbd9139befeab2.d", c.DepInfoFile);
    }

    [Fact]
    public void Parse_CargoLibrary_KeyLeavesOutPathsAndCosmetics()
    {
        var hashed = Cacheable(CargoLib).HashedArguments;

        Assert.DoesNotContain(hashed, a => a.Contains("/ws/target", StringComparison.Ordinal));
        Assert.DoesNotContain(hashed, a => a.Contains("diagnostic-width", StringComparison.Ordinal));
        Assert.DoesNotContain(hashed, a => a.StartsWith("--cfg", StringComparison.Ordinal));
        Assert.Contains("--check-cfg cfg(docsrs,test)", hashed);
        Assert.Contains("-C metadata=07d740a8947b73a8", hashed);
        Assert.Contains("--emit dep-info,metadata,link", hashed);
        Assert.Contains("--error-format json", hashed);
    }

    [Fact]
    public void Parse_CfgOrder_DoesNotChangeTheHashedForm()
    {
        var a = Cacheable(["--crate-name", "x", "x.rs", "--crate-type", "lib", "--out-dir", "o", "--cfg", "b", "--cfg", "a"]);
        var b = Cacheable(["--crate-name", "x", "x.rs", "--crate-type", "lib", "--out-dir", "o", "--cfg", "a", "--cfg", "b"]);

        Assert.Equal(a.SortedCfgs, b.SortedCfgs);
        Assert.Equal(a.HashedArguments, b.HashedArguments);
    }

    [Theory]
    [InlineData("-vV")]
    [InlineData("-V")]
    [InlineData("--version")]
    [InlineData("--help")]
    public void Parse_VersionAndHelp_AreProbes(string argument)
    {
        Assert.IsType<RustParseResult.Probe>(RustArgumentParser.Parse([argument], "/ws"));
    }

    [Fact]
    public void Parse_CargoCfgProbe_IsAProbe()
    {
        string[] args =
        [
            "-", "--crate-name", "___", "--print=file-names", "--crate-type", "bin", "--crate-type", "rlib",
            "--crate-type", "proc-macro", "--print=sysroot", "--print=cfg",
        ];

        Assert.IsType<RustParseResult.Probe>(RustArgumentParser.Parse(args, "/ws"));
    }

    [Theory]
    [InlineData("bin")]
    [InlineData("proc-macro")]
    [InlineData("dylib")]
    [InlineData("cdylib")]
    public void Parse_SystemLinkedCrateTypes_AreCacheableAndLink(string type)
    {
        var c = Cacheable(["--crate-name", "x", "src/main.rs", "--crate-type", type, "--emit=dep-info,link", "--out-dir", "o"]);

        Assert.True(c.LinksWithSystemLinker);
        Assert.Null(c.Linker);
    }

    [Fact]
    public void Parse_ArchiveOrMetadataOnly_DoesNotLink()
    {
        Assert.False(Cacheable(CargoLib).LinksWithSystemLinker);
        Assert.False(Cacheable(["--crate-name", "x", "src/main.rs", "--crate-type", "bin", "--emit=dep-info,metadata", "--out-dir", "o"]).LinksWithSystemLinker);
    }

    [Fact]
    public void Parse_BinWithoutEmit_Links()
    {
        Assert.True(Cacheable(["--crate-name", "x", "src/main.rs", "--crate-type", "bin", "--out-dir", "o"]).LinksWithSystemLinker);
    }

    [Theory]
    [InlineData("bin", "x86_64-pc-windows-msvc", "crate-type bin for target x86_64-pc-windows-msvc")]
    [InlineData("cdylib", "aarch64-apple-darwin", "crate-type cdylib for target aarch64-apple-darwin")]
    [InlineData("proc-macro", "wasm32-unknown-unknown", "crate-type proc-macro for target wasm32-unknown-unknown")]
    public void Parse_LinkedCrateTypeForNonElfTarget_IsNotCacheable(string type, string target, string reason)
    {
        Assert.Equal(reason, Reason(["--crate-name", "x", "src/main.rs", "--crate-type", type, "--emit=link", "--target", target, "--out-dir", "o"]));
    }

    [Fact]
    public void Parse_LinkedCrateTypeForLinuxTarget_IsCacheable()
    {
        Assert.True(Cacheable(["--crate-name", "x", "src/main.rs", "--crate-type", "bin", "--target", "aarch64-unknown-linux-gnu", "--out-dir", "o"]).LinksWithSystemLinker);
    }

    [Fact]
    public void Parse_UnknownCrateType_IsNotCacheable()
    {
        Assert.Equal("crate-type sdylib", Reason(["--crate-name", "x", "src/lib.rs", "--crate-type", "sdylib", "--out-dir", "o"]));
    }

    [Fact]
    public void Parse_LinkerAndLibraries_AreRecorded()
    {
        var c = Cacheable(["--crate-name", "x", "src/main.rs", "--crate-type", "bin", "--out-dir", "o", "-C", "linker=clang", "-C", "link-arg=-fuse-ld=mold",
            "-l", "z", "-l", "dylib=ssl", "-l", "static:+whole-archive=foo", "-lstatic=bar:baz"]);

        Assert.Equal("clang", c.Linker);
        Assert.Equal(["z", "ssl"], c.OtherLibraries);
        Assert.Equal(["foo", "bar"], c.StaticLibraries);
        Assert.Contains("-C link-arg=-fuse-ld=mold", c.HashedArguments);
        Assert.Contains("-C linker=clang", c.HashedArguments);
    }

    [Theory]
    [InlineData("lib")]
    [InlineData("rlib")]
    [InlineData("staticlib")]
    public void Parse_ArchiveCrateTypes_AreCacheable(string type)
    {
        Cacheable(["--crate-name", "x", "src/lib.rs", "--crate-type", type, "--emit=link", "--out-dir", "o"]);
    }

    [Fact]
    public void Parse_BinWithMetadataOnly_IsCacheable()
    {
        var c = Cacheable(["--crate-name", "app", "src/main.rs", "--crate-type", "bin", "--emit=dep-info,metadata", "--out-dir", "o", "-C", "extra-filename=-h"]);

        Assert.Equal(["libapp-h.rmeta", "app-h.d"], RustOutputNames.For(c));
    }

    [Theory]
    [InlineData(new[] { "-C", "incremental=/t/inc" }, "incremental compilation")]
    [InlineData(new[] { "-Cincremental=/t/inc" }, "incremental compilation")]
    [InlineData(new[] { "-o", "out.rlib" }, "-o output file")]
    [InlineData(new[] { "--emit=asm" }, "--emit asm")]
    [InlineData(new[] { "--emit=link=/x/y.rlib" }, "--emit with an explicit path")]
    [InlineData(new[] { "-C", "split-debuginfo=unpacked" }, "-C split-debuginfo=unpacked")]
    [InlineData(new[] { "-C", "profile-generate=/p" }, "-C profile-generate")]
    [InlineData(new[] { "--frobnicate" }, "unknown rustc option --frobnicate")]
    [InlineData(new[] { "other.rs" }, "multiple input files")]
    public void Parse_NotCacheable_HasNamedReason(string[] extra, string reason)
    {
        string[] baseArgs = ["--crate-name", "x", "src/lib.rs", "--crate-type", "lib", "--out-dir", "o"];

        Assert.Equal(reason, Reason([.. baseArgs, .. extra]));
    }

    [Fact]
    public void Parse_MissingRequiredParts_HaveNamedReasons()
    {
        Assert.Equal("no --crate-name", Reason(["src/lib.rs", "--crate-type", "lib", "--out-dir", "o"]));
        Assert.Equal("no --out-dir", Reason(["--crate-name", "x", "src/lib.rs", "--crate-type", "lib"]));
        Assert.Equal("no --crate-type", Reason(["--crate-name", "x", "src/lib.rs", "--out-dir", "o"]));
        Assert.Equal("no input file", Reason(["--crate-name", "x", "--crate-type", "lib", "--out-dir", "o"]));
        Assert.Equal("input from stdin", Reason(["--crate-name", "x", "-", "--crate-type", "lib", "--out-dir", "o"]));
    }

    [Fact]
    public void Parse_GluedAndEqualsForms_AreRecognised()
    {
        var c = Cacheable(["--crate-name=x", "src/lib.rs", "--crate-type=lib", "--out-dir=o", "-Copt-level=3", "-Ldependency=d", "-Lnative=n", "-lstatic=foo", "-Awarnings", "--edition", "2021"]);

        Assert.Equal("x", c.CrateName);
        Assert.Equal("o", c.OutDir);
        Assert.Contains("-C opt-level=3", c.HashedArguments);
        Assert.Contains("-A warnings", c.HashedArguments);
        Assert.Contains("-l static=foo", c.HashedArguments);
        Assert.Equal(["n"], c.NativeSearchDirs);
        Assert.Equal(["foo"], c.StaticLibraries);
        Assert.DoesNotContain(c.HashedArguments, a => a.StartsWith("-L", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_DebugInfo_IsSeen()
    {
        string[] baseArgs = ["--crate-name", "x", "src/lib.rs", "--crate-type", "lib", "--out-dir", "o"];

        Assert.True(Cacheable([.. baseArgs, "-C", "debuginfo=2"]).HasDebugInfo);
        Assert.True(Cacheable([.. baseArgs, "-g"]).HasDebugInfo);
        Assert.False(Cacheable([.. baseArgs, "-C", "debuginfo=0"]).HasDebugInfo);
        Assert.Equal(["/ws"], Cacheable([.. baseArgs, "--remap-path-prefix", "/ws=/r"]).RemappedPrefixes);
    }

    [Fact]
    public void Parse_ColorIsHashedOnlyForHumanDiagnostics()
    {
        string[] baseArgs = ["--crate-name", "x", "src/lib.rs", "--crate-type", "lib", "--out-dir", "o", "--color", "always"];

        Assert.Contains("--color always", Cacheable(baseArgs).HashedArguments);
        Assert.DoesNotContain("--color always", Cacheable([.. baseArgs, "--error-format=json"]).HashedArguments);
    }

    [Fact]
    public void Parse_ArgumentsWithoutEmit_DropEmitAndOutDir()
    {
        var c = Cacheable(["--crate-name", "x", "src/lib.rs", "--crate-type", "lib", "--emit", "link", "--out-dir", "o", "-C", "opt-level=1"]);

        Assert.Equal(["--crate-name", "x", "src/lib.rs", "--crate-type", "lib", "-C", "opt-level=1"], c.ArgumentsWithoutEmit);
        Assert.False(c.EmitDepInfo);
    }

    [Fact]
    public void Parse_ResponseFile_OneArgumentPerLine()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("args.txt", "--crate-name\nx y\n--crate-type\nlib\n--out-dir\no\n");

        var c = Assert.IsType<RustParseResult.Cacheable>(RustArgumentParser.Parse(["@" + file, "src/lib.rs"], dir.Path)).Compilation;

        Assert.Equal("x y", c.CrateName);
        Assert.Equal("o", c.OutDir);
    }

    [Fact]
    public void Parse_MissingResponseFile_IsNotCacheable()
    {
        Assert.Equal("unreadable @file", Reason(["@/nonexistent/args.txt"]));
    }
}
