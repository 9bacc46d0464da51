using SharpCache.Core.Compilers;
using static SharpCache.Core.Tests.Compilers.ParserTestHelpers;

namespace SharpCache.Core.Tests.Compilers;

public sealed class GccArgumentParserNotCacheableTests
{
    [Theory]
    [InlineData(NotCacheableReason.NotCompilation, new[] { "x.c", "-o", "x" })]
    [InlineData(NotCacheableReason.NotCompilation, new[] { "x.o", "y.o", "-o", "app" })]
    [InlineData(NotCacheableReason.NotCompilation, new[] { "--version" })]
    [InlineData(NotCacheableReason.NotCompilation, new[] { "-c", "x.c", "-###" })]
    [InlineData(NotCacheableReason.NotCompilation, new[] { "-print-file-name=libc.so" })]
    [InlineData(NotCacheableReason.PreprocessOnly, new[] { "-E", "x.c" })]
    [InlineData(NotCacheableReason.PreprocessOnly, new[] { "-c", "-E", "x.c" })]
    [InlineData(NotCacheableReason.DependenciesOnly, new[] { "-M", "x.c" })]
    [InlineData(NotCacheableReason.DependenciesOnly, new[] { "-c", "-MM", "x.c" })]
    [InlineData(NotCacheableReason.SyntaxOnly, new[] { "-fsyntax-only", "x.c" })]
    [InlineData(NotCacheableReason.MultipleSourceFiles, new[] { "-c", "x.c", "y.c" })]
    [InlineData(NotCacheableReason.MultipleSourceFiles, new[] { "-c", "x.c", "lib.a" })]
    [InlineData(NotCacheableReason.NoSourceFile, new[] { "-c", "-O2" })]
    [InlineData(NotCacheableReason.StdinInput, new[] { "-c", "-x", "c", "-" })]
    [InlineData(NotCacheableReason.UnknownLanguage, new[] { "-c", "x.f90" })]
    [InlineData(NotCacheableReason.UnknownLanguage, new[] { "-c", "noextension" })]
    [InlineData(NotCacheableReason.UnknownLanguage, new[] { "-c", "-x", "cuda", "x.c" })]
    [InlineData(NotCacheableReason.PrecompiledHeader, new[] { "-c", "x.h" })]
    [InlineData(NotCacheableReason.PrecompiledHeader, new[] { "-c", "x.hpp", "-o", "x.hpp.gch" })]
    [InlineData(NotCacheableReason.PrecompiledHeader, new[] { "-c", "-x", "c++-header", "x.cc" })]
    [InlineData(NotCacheableReason.SaveTemps, new[] { "-c", "x.c", "-save-temps" })]
    [InlineData(NotCacheableReason.SaveTemps, new[] { "-c", "x.c", "-save-temps=obj" })]
    [InlineData(NotCacheableReason.SaveTemps, new[] { "-c", "x.c", "--save-temps" })]
    [InlineData(NotCacheableReason.OutputToStdout, new[] { "-c", "x.c", "-o", "-" })]
    [InlineData(NotCacheableReason.ProfileUseUnhashable, new[] { "-c", "x.c", "-fprofile-use" })]
    [InlineData(NotCacheableReason.ProfileUseUnhashable, new[] { "-c", "x.c", "-fprofile-use=/no/such/file.gcda" })]
    [InlineData(NotCacheableReason.Modules, new[] { "-c", "x.cc", "-fmodules-ts" })]
    [InlineData(NotCacheableReason.UnsupportedFlag, new[] { "-c", "x.c", "-frepo" })]
    [InlineData(NotCacheableReason.UnsupportedFlag, new[] { "-c", "x.c", "-fdump-tree-all" })]
    [InlineData(NotCacheableReason.UnsupportedFlag, new[] { "-c", "x.c", "-fstack-usage" })]
    [InlineData(NotCacheableReason.UnsupportedFlag, new[] { "-c", "x.c", "-dumpdir", "d/" })]
    [InlineData(NotCacheableReason.UnsupportedFlag, new[] { "-c", "x.c", "-Wp,-MF,x.d" })]
    [InlineData(NotCacheableReason.UnsupportedFlag, new[] { "-c", "x.c", "-I" })]
    [InlineData(NotCacheableReason.UnsupportedFlag, new[] { "-c", "x.c", "-Wa,-adhln=x.lst" })] // the assembler's listing file
    [InlineData(NotCacheableReason.UnsupportedFlag, new[] { "-c", "x.c", "-Wa,--noexecstack,-al=x.lst" })]
    [InlineData(NotCacheableReason.UnsupportedFlag, new[] { "-c", "x.c", "-Xassembler", "-ahls=x.lst" })]
    [InlineData(NotCacheableReason.UnsupportedFlag, new[] { "-c", "x.c", "-Wa,--MD,x.d" })] // the assembler's depfile
    [InlineData(NotCacheableReason.UnsupportedFlag, new[] { "-c", "x.c", "-fopt-info-vec-missed=vec.txt" })] // a report file
    [InlineData(NotCacheableReason.UnsupportedFlag, new[] { "-c", "x.c", "-fopt-info=all.txt" })]
    public void Parse_Gcc_IsNotCacheableWithReason(NotCacheableReason expected, string[] arguments)
    {
        Assert.Equal(expected, Reason(arguments));
    }

    [Theory]
    [InlineData(NotCacheableReason.Modules, new[] { "-c", "x.cc", "-fmodules" })]
    [InlineData(NotCacheableReason.Modules, new[] { "-c", "x.cc", "-fcxx-modules" })]
    [InlineData(NotCacheableReason.Modules, new[] { "-c", "x.cc", "-fmodule-file=m.pcm" })]
    [InlineData(NotCacheableReason.MultipleArch, new[] { "-c", "x.c", "-arch", "x86_64", "-arch", "arm64" })]
    [InlineData(NotCacheableReason.ProfileUseUnhashable, new[] { "-c", "x.c", "-fprofile-instr-use=/no/such.profdata" })]
    [InlineData(NotCacheableReason.UnsupportedFlag, new[] { "-c", "x.c", "--serialize-diagnostics", "x.dia" })]
    [InlineData(NotCacheableReason.UnsupportedFlag, new[] { "-c", "x.c", "-ftime-trace" })]
    [InlineData(NotCacheableReason.UnsupportedFlag, new[] { "-c", "x.c", "-foptimization-record-file=x.yaml" })]
    public void Parse_Clang_IsNotCacheableWithReason(NotCacheableReason expected, string[] arguments)
    {
        Assert.Equal(expected, ClangReason(arguments));
    }

    [Theory]
    [InlineData("-Wa,--noexecstack")]
    [InlineData("-Wa,-adhln")] // a listing on stdout: cached with it
    [InlineData("-Wa,--gdwarf-5,-mrelax-relocations=no")]
    [InlineData("-fopt-info-vec-missed")] // the report on stderr: cached with it
    public void Parse_OptionsWithoutAFileOfTheirOwn_AreCacheable(string argument)
    {
        Assert.Contains(argument, Cacheable("-c", "x.c", argument).HashedArguments);
    }

    [Fact]
    public void Parse_TooHardFlag_DetailNamesTheArgument()
    {
        var result = NotCacheable(CompilerFamily.Gcc, "/wd", "-c", "x.c", "-save-temps=cwd");

        Assert.Equal("-save-temps=cwd", result.Detail);
    }

    [Fact]
    public void Parse_ProfileUseDirectory_IsNotCacheable()
    {
        using var temp = new TempDirectory();

        Assert.Equal(NotCacheableReason.ProfileUseUnhashable,
            NotCacheable(CompilerFamily.Gcc, temp.Path, "-c", "x.c", "-fprofile-use=.").Reason);
    }

    [Fact]
    public void Parse_ProfileUseFile_IsHashedAsExtraFile()
    {
        using var temp = new TempDirectory();
        var profile = temp.Write("prof/x.gcda", "data");

        var c = Cacheable(CompilerFamily.Gcc, temp.Path, "-c", "x.c", "-fprofile-use=prof/x.gcda");

        Assert.Equal([profile], c.ExtraHashFiles);
        Assert.Equal(["-fprofile-use=prof/x.gcda"], c.HashedArguments);
    }

    [Fact]
    public void Parse_ClangProfileUseDirectory_HashesDefaultProfdata()
    {
        using var temp = new TempDirectory();
        var profile = temp.Write("pgo/default.profdata", "data");

        var c = Cacheable(CompilerFamily.Clang, temp.Path, "-c", "x.c", "-fprofile-use=pgo");

        Assert.Equal([profile], c.ExtraHashFiles);
    }

    [Fact]
    public void Parse_PluginAndSpecs_ExistingFilesAreExtraHashFiles()
    {
        using var temp = new TempDirectory();
        var plugin = temp.Write("plugin.so", "elf");
        var specs = temp.Write("my.specs", "*cpp:");

        var c = Cacheable(CompilerFamily.Gcc, temp.Path, "-c", "x.c", "-fplugin=./plugin.so", "-specs=my.specs", "-fplugin=annobin");

        Assert.Equal([plugin, specs], c.ExtraHashFiles);
        Assert.Equal(["-fplugin=./plugin.so", "-specs=my.specs", "-fplugin=annobin"], c.HashedArguments);
    }

    [Theory]
    [InlineData("-fsanitize-ignorelist=")]
    [InlineData("-fsanitize-blacklist=")]
    [InlineData("-fsanitize-coverage-allowlist=")]
    [InlineData("-fprofile-list=")]
    [InlineData("-fxray-attr-list=")]
    public void Parse_ClangInstrumentationLists_AreExtraHashFiles(string option)
    {
        // Without the file's contents in the key an edited list gave the old object; a build server never got the file.
        using var temp = new TempDirectory();
        var list = temp.Write("list.txt", "fun:skip_me\n");

        var c = Cacheable(CompilerFamily.Clang, temp.Path, "-c", "x.c", "-fsanitize=address", option + "list.txt");

        Assert.Equal([list], c.ExtraHashFiles);
        Assert.Contains(option + "list.txt", c.HashedArguments);
    }

    [Fact]
    public void Parse_InputCharset_IsThePreprocessorsOnly()
    {
        // Its effect is in the (UTF-8) text; the compile of that text must not convert it again.
        var c = Cacheable("-c", "x.c", "-finput-charset=latin1", "-fexec-charset=IBM1047");

        Assert.Contains("-finput-charset=latin1", c.PreprocessArguments!);
        Assert.DoesNotContain("-finput-charset=latin1", c.CompileArguments);
        Assert.Contains("-fexec-charset=IBM1047", c.CompileArguments);
    }

    [Fact]
    public void Parse_ProfileGenerate_IsCacheableWithWorkingDirectoryAndOutputsInKey()
    {
        var c = Cacheable("-c", "x.c", "-fprofile-generate");

        Assert.True(c.KeyIncludesWorkingDirectory);
        Assert.True(c.KeyIncludesOutputPaths);
        Assert.Null(c.CoverageNotesFile);
    }

    [Fact]
    public void ReasonNames_EveryReason_HasADistinctStableName()
    {
        var names = Enum.GetValues<NotCacheableReason>().Select(NotCacheableReasonNames.Get).ToList();

        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.Equal("-E", NotCacheableReasonNames.Get(NotCacheableReason.PreprocessOnly));
        Assert.Equal("multiple input files", NotCacheableReasonNames.Get(NotCacheableReason.MultipleSourceFiles));
        Assert.All(names, n => Assert.DoesNotContain(nameof(NotCacheableReason), n, StringComparison.Ordinal));
    }
}
