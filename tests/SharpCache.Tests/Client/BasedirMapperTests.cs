using System.Text;
using SharpCache.Client;
using SharpCache.Core.Compilers;

namespace SharpCache.Tests.Client;

public sealed class BasedirMapperTests
{
    private const string Base = "/work/proj";
    private const string P = BasedirMapper.Placeholder;

    private static BasedirMapper Active() => BasedirMapper.For([Base], Base + "/build");

    private static ParsedCompilation Compilation(bool debugInfo) => new()
    {
        Language = Language.C,
        InputFile = "x.c",
        OutputFile = "x.o",
        PreprocessArguments = ["-E", "x.c"],
        HashedArguments = debugInfo ? ["-g"] : [],
        KeyIncludesWorkingDirectory = debugInfo,
    };

    [Theory]
    [InlineData("/work/proj", true)]
    [InlineData("/work/proj/build/sub", true)]
    [InlineData("/work/project", false)]
    [InlineData("/work", false)]
    [InlineData("/elsewhere/work/proj", false)]
    public void For_AppliesOnlyWhenTheWorkingDirectoryIsInside(string cwd, bool active)
    {
        var mapper = BasedirMapper.For([Base], cwd);
        Assert.Equal(active, mapper.IsActive);
        Assert.Equal(active ? Base : null, mapper.Basedir);
    }

    [Fact]
    public void For_PicksTheLongestMatchingBasedir()
    {
        var mapper = BasedirMapper.For(["/work", Base, "/other"], Base + "/src");
        Assert.Equal(Base, mapper.Basedir);
    }

    [Theory]
    [InlineData("/work/proj/src/x.c", P + "/src/x.c")]
    [InlineData("/work/proj", P)]
    [InlineData("-I/work/proj/include", "-I" + P + "/include")]
    [InlineData("-isystem/work/proj/include", "-isystem" + P + "/include")]
    [InlineData("-iquote/work/proj/q", "-iquote" + P + "/q")]
    [InlineData("-DROOT=/work/proj/data", "-DROOT=" + P + "/data")]
    [InlineData("-Wl,/work/proj/a,/work/proj/b", "-Wl," + P + "/a," + P + "/b")]
    [InlineData("/work/proj/a:/work/proj/b", P + "/a:" + P + "/b")]
    public void Map_ReplacesTheBasedirWhereAPathStarts(string input, string expected) =>
        Assert.Equal(expected, Active().Map(input));

    [Theory]
    [InlineData("/elsewhere/work/proj/x.c")]
    [InlineData("/work/project/x.c")]
    [InlineData("/work/projx")]
    [InlineData("relative/work/proj/x.c")]
    [InlineData("x/work/proj")]
    [InlineData("-I../work/proj/include")]
    [InlineData("-O2")]
    [InlineData("")]
    public void Map_LeavesTheBasedirInTheMiddleOfOtherPaths(string input) =>
        Assert.Equal(input, Active().Map(input));

    [Fact]
    public void Map_SeparateIncludeArgumentsAreMapped()
    {
        var mapper = Active();
        string[] args = ["-I", "/work/proj/include", "-isystem", "/work/proj/sys", "-include", "/work/proj/pch.h"];
        Assert.Equal(["-I", P + "/include", "-isystem", P + "/sys", "-include", P + "/pch.h"], args.Select(mapper.Map).ToArray());
    }

    /// <summary>The prefix-map option names the base directory followed by '=': it must be mapped, or two checkouts never share.</summary>
    [Theory]
    [InlineData("-fdebug-prefix-map=/work/proj=.", "-fdebug-prefix-map=" + P + "=.")]
    [InlineData("-ffile-prefix-map=/work/proj=/src", "-ffile-prefix-map=" + P + "=/src")]
    [InlineData("-fmacro-prefix-map=/work/proj/=", "-fmacro-prefix-map=" + P + "/=")]
    public void Map_PrefixMapOptionsAreMapped(string input, string expected) =>
        Assert.Equal(expected, Active().Map(input));

    [Fact]
    public void Map_InactiveMapperChangesNothing() =>
        Assert.Equal("/work/proj/x.c", BasedirMapper.Inactive.Map("/work/proj/x.c"));

    [Fact]
    public void ForCompile_NoBasedirsIsInactive() =>
        Assert.False(BasedirMapper.ForCompile([], Base, Compilation(false), ["-c", "x.c"]).IsActive);

    [Fact]
    public void ForCompile_WithoutDebugInfoIsActive() =>
        Assert.True(BasedirMapper.ForCompile([Base], Base, Compilation(false), ["-c", "x.c"]).IsActive);

    [Fact]
    public void ForCompile_DebugInfoWithoutPrefixMapIsInactive() =>
        Assert.False(BasedirMapper.ForCompile([Base], Base, Compilation(true), ["-c", "x.c", "-g"]).IsActive);

    [Theory]
    [InlineData("-fdebug-prefix-map=/work/proj=.")]
    [InlineData("-ffile-prefix-map=/work/proj=.")]
    [InlineData("-ffile-prefix-map=/work/proj/=.")]
    [InlineData("-fdebug-prefix-map=/work=/w")]
    public void ForCompile_DebugInfoWithAPrefixMapOfTheBasedirIsActive(string map) =>
        Assert.True(BasedirMapper.ForCompile([Base], Base + "/build", Compilation(true), ["-c", "x.c", "-g", map]).IsActive);

    [Theory]
    [InlineData("-fdebug-prefix-map=/work/proj/src=.")]
    [InlineData("-fdebug-prefix-map=/elsewhere=.")]
    [InlineData("-fmacro-prefix-map=/work/proj=.")]
    [InlineData("-fdebug-prefix-map==.")]
    public void ForCompile_DebugInfoWithAnUnrelatedPrefixMapIsInactive(string map) =>
        Assert.False(BasedirMapper.ForCompile([Base], Base, Compilation(true), ["-c", "x.c", "-g", map]).IsActive);

    [Fact]
    public void Depfile_StoreAndRestoreRoundTripToTheOtherCheckout()
    {
        var depfile = "/work/proj/obj/x.o: /work/proj/src/x.c /work/proj/include/x.h \\\n /usr/include/stdio.h /work/project/y.h \\\n /x/work/proj/z.h\n/work/proj/include/x.h:\n";
        var stored = Active().MapFileForStore(Encoding.UTF8.GetBytes(depfile));
        var storedText = Encoding.UTF8.GetString(stored);
        Assert.Equal(
            P + "/obj/x.o: " + P + "/src/x.c " + P + "/include/x.h \\\n /usr/include/stdio.h /work/project/y.h \\\n /x/work/proj/z.h\n" + P + "/include/x.h:\n",
            storedText);

        var other = BasedirMapper.For(["/srv/b/proj"], "/srv/b/proj");
        var restored = Encoding.UTF8.GetString(other.RestoreFile(stored));
        Assert.Equal(depfile.Replace("/work/proj/", "/srv/b/proj/", StringComparison.Ordinal).Replace("/x/srv/b/proj/", "/x/work/proj/", StringComparison.Ordinal), restored);

        // Restoring in the same checkout gives the original bytes back.
        Assert.Equal(depfile, Encoding.UTF8.GetString(Active().RestoreFile(stored)));
    }

    [Fact]
    public void Depfile_WithoutTheBasedirIsReturnedAsIs()
    {
        var bytes = Encoding.UTF8.GetBytes("x.o: x.c /usr/include/stdio.h\n");
        Assert.Same(bytes, Active().MapFileForStore(bytes));
        Assert.Same(bytes, Active().RestoreFile(bytes));
    }
}
