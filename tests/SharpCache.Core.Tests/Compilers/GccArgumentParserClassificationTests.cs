using SharpCache.Core.Compilers;
using static SharpCache.Core.Tests.Compilers.ParserTestHelpers;

namespace SharpCache.Core.Tests.Compilers;

public sealed class GccArgumentParserClassificationTests
{
    [Fact]
    public void Parse_SimpleCompile_SplitsPreprocessorAndHashedArguments()
    {
        var c = Cacheable("-c", "-DFOO=1", "-I", "inc", "-Iinc2", "-O2", "-Wall", "-std=c11", "src/x.c", "-o", "obj/x.o");

        Assert.Equal(Language.C, c.Language);
        Assert.Equal("src/x.c", c.InputFile);
        Assert.Equal("obj/x.o", c.OutputFile);
        Assert.Equal(["-E", "-DFOO=1", "-I", "inc", "-Iinc2", "-O2", "-Wall", "-std=c11", "src/x.c"], c.PreprocessArguments);
        Assert.Equal(["-O2", "-Wall", "-std=c11"], c.HashedArguments);
        Assert.Null(c.DepFile);
        Assert.False(c.KeyIncludesWorkingDirectory);
        Assert.False(c.KeyIncludesOutputPaths);
    }

    [Fact]
    public void Parse_PreprocessorOnlyOptions_AreNotHashed()
    {
        var c = Cacheable("-c", "x.c", "-U", "BAR", "-isystem", "/s", "-iquote", "q", "-idirafter", "d", "-include", "h.h",
            "-imacros", "m.h", "-iprefix", "p/", "-iwithprefix", "w", "-isysroot", "/r", "-nostdinc", "-Wp,-DX", "-Xpreprocessor", "-DY");

        Assert.Empty(c.HashedArguments);
        Assert.Equal(24, c.PreprocessArguments!.Count);
    }

    [Fact]
    public void Parse_CodegenOptions_AreHashedInCommandLineOrder()
    {
        var c = Cacheable(CompilerFamily.Clang, "/wd", "-c", "x.c", "-fPIC", "-march=native", "--target=x86_64-linux-gnu",
            "-target", "aarch64", "--sysroot=/sys", "-Xclang", "-fno-pch-timestamp", "-mllvm", "-inline-threshold=5", "-g0");

        Assert.Equal(["-fPIC", "-march=native", "--target=x86_64-linux-gnu", "-target", "aarch64", "--sysroot=/sys",
            "-Xclang", "-fno-pch-timestamp", "-mllvm", "-inline-threshold=5", "-g0"], c.HashedArguments);
        Assert.Contains("-Xclang", c.PreprocessArguments!);
        Assert.DoesNotContain("-g0", c.PreprocessArguments!);
    }

    [Fact]
    public void Parse_AssemblerAndLinkerOptions_AreHashedButNotPreprocessed()
    {
        var c = Cacheable("-c", "x.c", "-Wa,--noexecstack", "-Wl,-z,now", "-lm", "-L", "/lib", "-Xassembler", "-g");

        Assert.Equal(["-Wa,--noexecstack", "-Wl,-z,now", "-lm", "-L", "/lib", "-Xassembler", "-g"], c.HashedArguments);
        Assert.Equal(["-E", "x.c"], c.PreprocessArguments);
    }

    [Fact]
    public void Parse_ColourAndPipe_ColourIsHashedPipeIsDropped()
    {
        var c = Cacheable("-c", "x.c", "-fdiagnostics-color=always", "-pipe");

        Assert.Equal(["-fdiagnostics-color=always"], c.HashedArguments);
        Assert.Equal(["-E", "x.c"], c.PreprocessArguments);
    }

    [Fact]
    public void Parse_UnknownOption_IsPreprocessedAndHashed()
    {
        var c = Cacheable("-c", "x.c", "--frobnicate");

        Assert.Equal(["--frobnicate"], c.HashedArguments);
        Assert.Equal(["-E", "x.c", "--frobnicate"], c.PreprocessArguments);
    }

    [Fact]
    public void Parse_ClangOnlyOptionUnderGcc_IsTreatedAsUnknown()
    {
        // -Xclang takes a value only for clang; under gcc its "value" is a second input.
        Assert.Equal(NotCacheableReason.MultipleSourceFiles, Reason("-c", "x.c", "-Xclang", "foo"));
    }

    [Fact]
    public void Parse_AssembleOnly_HashesModeAndDefaultsToDotS()
    {
        var c = Cacheable("-S", "dir/x.c");

        Assert.Equal("x.s", c.OutputFile);
        Assert.Equal(["-S"], c.HashedArguments);
        Assert.Equal(["-E", "dir/x.c"], c.PreprocessArguments);
    }

    [Fact]
    public void Parse_NoOutput_DefaultsToInputStemInWorkingDirectory()
    {
        Assert.Equal("x.o", Cacheable("-c", "src/sub/x.cpp").OutputFile);
        Assert.Equal("a.b.o", Cacheable("-c", "a.b.c").OutputFile);
    }

    [Fact]
    public void Parse_ConcatenatedOutput_IsRecognised()
    {
        Assert.Equal("obj/y.o", Cacheable("-c", "x.c", "-oobj/y.o").OutputFile);
    }

    [Fact]
    public void Parse_EmitLlvm_DefaultsToBitcodeExtension()
    {
        Assert.Equal("x.bc", Cacheable(CompilerFamily.Clang, "/wd", "-c", "-emit-llvm", "x.c").OutputFile);
        Assert.Equal("x.ll", Cacheable(CompilerFamily.Clang, "/wd", "-S", "-emit-llvm", "x.c").OutputFile);
    }

    [Fact]
    public void Parse_Arch_SameValueTwiceIsCacheable()
    {
        var c = Cacheable(CompilerFamily.Clang, "/wd", "-c", "x.c", "-arch", "arm64", "-arch", "arm64");

        Assert.Equal(["-arch", "arm64", "-arch", "arm64"], c.HashedArguments);
    }

    [Fact]
    public void Parse_ResultLists_AreFreshPerCall()
    {
        var a = Cacheable("-c", "x.c", "-O1");
        var b = Cacheable("-c", "y.c", "-O3");

        Assert.Equal(["-O1"], a.HashedArguments);
        Assert.Equal(["-O3"], b.HashedArguments);
    }
}
