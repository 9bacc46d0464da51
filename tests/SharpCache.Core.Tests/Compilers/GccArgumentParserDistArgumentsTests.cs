using static SharpCache.Core.Tests.Compilers.ParserTestHelpers;

namespace SharpCache.Core.Tests.Compilers;

/// <summary>
/// <c>CompileArguments</c> (what a build server needs to compile the preprocessed text) and
/// <c>DependencyArguments</c> (what the local preprocessor run needs to write the depfile).
/// </summary>
public sealed class GccArgumentParserDistArgumentsTests
{
    [Fact]
    public void Parse_PreprocessorOnlyArguments_AreNotCompileArguments()
    {
        var c = Cacheable("-c", "-DFOO=1", "-UBAR", "-Iinc", "-isystem", "sys", "-include", "cfg.h", "-O2", "-Wall", "-std=gnu99", "x.c", "-o", "x.o");

        Assert.Equal(["-O2", "-Wall", "-std=gnu99"], c.CompileArguments);
        Assert.Empty(c.DependencyArguments);
    }

    [Fact]
    public void Parse_CompileArguments_HaveNoDashCInputOutputOrLanguage()
    {
        var c = Cacheable("-x", "c", "-c", "-g", "x.c", "-o", "obj/x.o");

        Assert.DoesNotContain("-c", c.CompileArguments);
        Assert.DoesNotContain("x.c", c.CompileArguments);
        Assert.DoesNotContain("-o", c.CompileArguments);
        Assert.DoesNotContain("obj/x.o", c.CompileArguments);
        Assert.DoesNotContain("-x", c.CompileArguments);
        Assert.Contains("-g", c.CompileArguments);
    }

    [Fact]
    public void Parse_AssembleOnly_KeepsDashS()
    {
        Assert.Equal(["-S", "-O1"], Cacheable("-S", "-O1", "x.c").CompileArguments);
    }

    [Fact]
    public void Parse_DependencyArguments_AsWrittenAndOutOfCompileArguments()
    {
        var c = Cacheable("-c", "-O2", "-MD", "-MF", "deps/x.d", "-MT", "tgt", "-MQ", "q", "-MP", "x.c", "-o", "x.o");

        Assert.Equal(["-MD", "-MF", "deps/x.d", "-MT", "tgt", "-MQ", "q", "-MP"], c.DependencyArguments);
        Assert.Equal(["-O2"], c.CompileArguments);
    }

    [Fact]
    public void Parse_JoinedDependencyArguments_StayJoined()
    {
        var c = Cacheable("-c", "-MMD", "-MFdeps/x.d", "-MTtgt", "x.c");

        Assert.Equal(["-MMD", "-MFdeps/x.d", "-MTtgt"], c.DependencyArguments);
        Assert.Empty(c.CompileArguments);
    }

    [Fact]
    public void Parse_WrappedDepfile_IsADependencyArgument()
    {
        var c = Cacheable("-c", "-Wp,-MD,obj/.x.o.d", "-O2", "x.c", "-o", "obj/x.o");

        Assert.Equal(["-Wp,-MD,obj/.x.o.d"], c.DependencyArguments);
        Assert.Equal(["-O2"], c.CompileArguments);
        Assert.Equal(["-Wp,-MD", "-O2"], c.HashedArguments);
    }

    [Fact]
    public void Parse_CompileArguments_AreHashedArgumentsWithoutTheDependencyOnes()
    {
        var c = Cacheable("-c", "-fPIC", "-MD", "-O3", "-MT", "t", "-Wextra", "x.c");

        Assert.Equal(["-fPIC", "-MD", "-O3", "-MT", "t", "-Wextra"], c.HashedArguments);
        Assert.Equal(["-fPIC", "-O3", "-Wextra"], c.CompileArguments);
    }
}
