using System.Collections;
using SharpCache.Client;
using SharpCache.Client.Rust;
using SharpCache.Core.Compilers.Rust;

namespace SharpCache.Tests.Client;

public sealed class RustDistPlanTests : IDisposable
{
    private readonly string _cwd = Directory.CreateTempSubdirectory("sharpcache-rustdistplan-").FullName;

    public void Dispose() => Directory.Delete(_cwd, recursive: true);

    [Fact]
    public void For_Lib_SendsSourcesExternsAndSearchDirectoryCratesWithArgumentsUnchanged()
    {
        var deps = Path.Combine(_cwd, "target/debug/deps");
        var native = Path.Combine(_cwd, "native");
        Directory.CreateDirectory(deps);
        Directory.CreateDirectory(native);
        foreach (var name in new[] { "libdep-1.rlib", "libdep-1.rmeta", "libother-2.rlib", "dep-1.d", "libpm-3.so", "libthird-4.rlib", "libthird-4.rmeta" })
        {
            File.WriteAllText(Path.Combine(deps, name), name);
        }

        File.WriteAllText(Path.Combine(native, "libz.a"), "a");
        foreach (var source in new[] { "src/lib.rs", "src/m.rs", "out/gen.rs" })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(_cwd, source))!);
            File.WriteAllText(Path.Combine(_cwd, source), "// " + source);
        }

        File.WriteAllText(Path.Combine(native, "notes.txt"), "t");
        string[] arguments =
        [
            "--crate-name", "app", "--edition=2021", "src/lib.rs", "--error-format=json", "--json=artifacts",
            "--crate-type", "lib", "--emit=dep-info,metadata,link", "-C", "extra-filename=-abc",
            "--out-dir", Path.Combine(_cwd, "target/debug/deps"), "-L", "dependency=" + deps,
            "-L", "native=" + native, "-Lframework=/nonexistent", "--extern", "dep=" + Path.Combine(deps, "libdep-1.rlib"),
        ];
        var depInfo = new RustDepInfo(["src/lib.rs", "src/m.rs", Path.Combine(_cwd, "out/gen.rs")], [new("MY_VAR", "1"), new("UNSET_VAR", null)]);
        var environment = new Hashtable
        {
            ["CARGO_PKG_NAME"] = "app",
            ["CARGO_MAKEFLAGS"] = "-j --jobserver-fds=3,4",
            ["OUT_DIR"] = Path.Combine(_cwd, "out"),
            ["MY_VAR"] = "1",
            ["HOME"] = "/root",
        };

        var plan = RustDistPlan.For(Context(arguments), depInfo, arguments, environment);

        Assert.NotNull(plan);
        Assert.Equal(
            [
                Path.Combine(_cwd, "src/lib.rs"), Path.Combine(_cwd, "src/m.rs"), Path.Combine(_cwd, "out/gen.rs"),
                Path.Combine(deps, "libdep-1.rlib"), Path.Combine(deps, "libdep-1.rmeta"), Path.Combine(deps, "libother-2.rlib"),
                Path.Combine(deps, "libpm-3.so"), Path.Combine(deps, "libthird-4.rmeta"), Path.Combine(native, "libz.a"),
            ],
            plan.InputPaths); // the --extern rlib, and of a crate found as both rlib and rmeta only its metadata
        Assert.Equal(["CARGO_PKG_NAME", "MY_VAR", "OUT_DIR"], plan.Environment.Select(pair => pair.Key));
        Assert.Contains(Path.Combine(deps, "libapp-abc.rlib"), plan.Outputs);
        Assert.Contains(Path.Combine(deps, "app-abc.d"), plan.Outputs);
        Assert.DoesNotContain(plan.RequiredOutputs, path => path.EndsWith(".d", StringComparison.Ordinal));
        Assert.Contains(Path.Combine(deps, "libapp-abc.rlib"), plan.RequiredOutputs);

        var request = plan.ToRequest("/usr/bin/rustc", "rustc", _cwd, arguments, out var size);
        Assert.NotNull(request);
        Assert.Equal(arguments, request.Arguments);
        Assert.True(size > 0);
    }

    [Theory]
    [InlineData("bin")]
    [InlineData("proc-macro")]
    [InlineData("cdylib")]
    [InlineData("staticlib")]
    [InlineData("dylib")]
    public void For_CrateTypesThatLink_StayLocal(string crateType)
    {
        string[] arguments = ["--crate-name", "app", "src/main.rs", "--crate-type", crateType, "--emit=dep-info,link", "--out-dir", Path.Combine(_cwd, "out")];

        Assert.Null(RustDistPlan.For(Context(arguments), new RustDepInfo(["src/main.rs"], []), arguments, new Hashtable()));
    }

    [Fact]
    public void ToRequest_UnreadableInput_IsNull()
    {
        var plan = new RustDistPlan([Path.Combine(_cwd, "missing.rs")], [], [], []);

        Assert.Null(plan.ToRequest("/usr/bin/rustc", "rustc", _cwd, [], out _));
    }

    [Fact]
    public void SearchDirectories_TakesCrateAndNativeKindsOnly()
    {
        var dirs = RustDistPlan.SearchDirectories(["-L", "dependency=d", "-Lcrate=c", "-L", "plain", "-L", "all=a", "-L", "native=n", "-L", "framework=f"], _cwd);

        Assert.Equal(new[] { "d", "c", "plain", "a", "n" }.Select(dir => Path.Combine(_cwd, dir)), dirs);
    }

    private RustCompileContext Context(string[] arguments)
    {
        var parsed = RustArgumentParser.Parse(arguments, _cwd);
        var compilation = Assert.IsType<RustParseResult.Cacheable>(parsed).Compilation;
        var outDir = Path.GetFullPath(compilation.OutDir, _cwd);
        return new RustCompileContext(new RustcIdentity("/usr/bin/rustc", "rustc 1.0", "/usr", "digest"), compilation, _cwd, BasedirMapper.Inactive, outDir);
    }
}
