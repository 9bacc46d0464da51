using SharpCache.Core.Compilers;
using static SharpCache.Core.Tests.Compilers.ParserTestHelpers;

namespace SharpCache.Core.Tests.Compilers;

public sealed class GccArgumentParserOutputTests
{
    [Fact]
    public void Parse_MDWithOutput_DepFileNextToOutput()
    {
        var c = Cacheable("-c", "-MD", "src/x.c", "-o", "obj/y.o");

        Assert.Equal("obj/y.d", c.DepFile);
        Assert.True(c.KeyIncludesOutputPaths);
        Assert.Equal(["-MD"], c.HashedArguments);
        Assert.Equal(["-E", "src/x.c"], c.PreprocessArguments);
    }

    [Fact]
    public void Parse_MMDWithoutOutput_DepFileInWorkingDirectory()
    {
        Assert.Equal("x.d", Cacheable("-c", "-MMD", "src/x.c").DepFile);
    }

    [Fact]
    public void Parse_OutputWithoutExtension_DepFileAppendsExtension()
    {
        Assert.Equal("obj.dir/yy.d", Cacheable("-c", "-MD", "x.c", "-o", "obj.dir/yy").DepFile);
    }

    [Fact]
    public void Parse_MF_OverridesDepFileAndDependencyArgumentsLeavePreprocessing()
    {
        var c = Cacheable("-c", "-MD", "-MF", "deps/x.dep", "-MT", "tgt", "-MQ", "q", "-MP", "x.c", "-o", "x.o");

        Assert.Equal("deps/x.dep", c.DepFile);
        Assert.Equal(["-MD", "-MT", "tgt", "-MQ", "q", "-MP"], c.HashedArguments);
        Assert.Equal(["-E", "x.c"], c.PreprocessArguments);
    }

    [Fact]
    public void Parse_MFWithoutMD_WritesNoDepFile()
    {
        Assert.Null(Cacheable("-c", "-MFx.d", "x.c").DepFile);
    }

    [Theory]
    [InlineData("-Wp,-MD,obj/.x.o.d", "-Wp,-MD")]
    [InlineData("-Wp,-MMD,obj/.x.o.d", "-Wp,-MMD")]
    public void Parse_WpMD_SetsDepFileAndIsNotPreprocessed(string argument, string hashed)
    {
        var c = Cacheable("-c", argument, "x.c", "-o", "obj/x.o");

        Assert.Equal("obj/.x.o.d", c.DepFile);
        Assert.Equal([hashed], c.HashedArguments);
        Assert.Equal(["-E", "x.c"], c.PreprocessArguments);
        Assert.True(c.KeyIncludesOutputPaths);
    }

    [Fact]
    public void Parse_GccSplitDwarf_DwoNextToOutputEvenWithoutG()
    {
        var c = Cacheable("-c", "-gsplit-dwarf", "src/x.c", "-o", "obj/y.o");

        Assert.Equal("obj/y.dwo", c.SplitDwarfFile);
        Assert.True(c.KeyIncludesOutputPaths);
        Assert.False(c.KeyIncludesWorkingDirectory);
    }

    [Fact]
    public void Parse_ClangSplitDwarf_DwoOnlyWithDebugInfo()
    {
        Assert.Null(Cacheable(CompilerFamily.Clang, "/wd", "-c", "-gsplit-dwarf", "x.c").SplitDwarfFile);
        Assert.Equal("x.dwo", Cacheable(CompilerFamily.Clang, "/wd", "-c", "-g", "-gsplit-dwarf", "x.c").SplitDwarfFile);
        Assert.Null(Cacheable(CompilerFamily.Clang, "/wd", "-c", "-g", "-gsplit-dwarf=single", "x.c").SplitDwarfFile);
    }

    [Fact]
    public void Parse_SplitDwarfWithAssembleOnly_WritesNoDwo()
    {
        Assert.Null(Cacheable("-S", "-g", "-gsplit-dwarf", "x.c").SplitDwarfFile);
    }

    [Fact]
    public void Parse_NoSplitDwarfAfterSplitDwarf_WritesNoDwo()
    {
        Assert.Null(Cacheable("-c", "-g", "-gsplit-dwarf", "-gno-split-dwarf", "x.c").SplitDwarfFile);
    }

    [Theory]
    [InlineData("--coverage")]
    [InlineData("-ftest-coverage")]
    public void Parse_Coverage_NotesNextToOutputAndCwdInKey(string flag)
    {
        var c = Cacheable("-c", flag, "src/x.c", "-o", "obj/y.o");

        Assert.Equal("obj/y.gcno", c.CoverageNotesFile);
        Assert.True(c.KeyIncludesWorkingDirectory);
        Assert.True(c.KeyIncludesOutputPaths);
        Assert.Equal([flag], c.HashedArguments);
        Assert.Equal(["-E", "src/x.c"], c.PreprocessArguments);
    }

    [Fact]
    public void Parse_CoverageWithoutOutput_NotesInWorkingDirectory()
    {
        Assert.Equal("x.gcno", Cacheable("-c", "--coverage", "src/x.c").CoverageNotesFile);
    }

    [Fact]
    public void Parse_ProfileNote_SetsNotesPath()
    {
        Assert.Equal("n/x.gcno", Cacheable("-c", "--coverage", "-fprofile-note=n/x.gcno", "x.c").CoverageNotesFile);
    }

    [Fact]
    public void Parse_ProfileArcs_WorkingDirectoryInKeyWithoutNotes()
    {
        var c = Cacheable("-c", "-fprofile-arcs", "x.c");

        Assert.Null(c.CoverageNotesFile);
        Assert.True(c.KeyIncludesWorkingDirectory);
    }

    [Theory]
    [InlineData(true, new[] { "-g" })]
    [InlineData(true, new[] { "-g3" })]
    [InlineData(true, new[] { "-ggdb" })]
    [InlineData(true, new[] { "-gdwarf-4" })]
    [InlineData(true, new[] { "-gline-tables-only" })]
    [InlineData(true, new[] { "-g0", "-g" })]
    [InlineData(true, new[] { "-g", "-gz" })]
    [InlineData(false, new[] { "-g", "-g0" })]
    [InlineData(false, new[] { "-ggdb", "-ggdb0" })]
    [InlineData(false, new[] { "-gz" })]
    [InlineData(false, new[] { "-gsplit-dwarf" })]
    [InlineData(false, new string[0])]
    public void Parse_DebugOptions_DecideWorkingDirectoryInKey(bool expected, string[] debugArguments)
    {
        var c = Cacheable(["-c", "x.c", .. debugArguments]);

        Assert.Equal(expected, c.KeyIncludesWorkingDirectory);
        Assert.Equal(debugArguments, c.HashedArguments);
    }
}
