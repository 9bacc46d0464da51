using SharpCache.Core.Compilers;
using static SharpCache.Core.Tests.Compilers.ParserTestHelpers;

namespace SharpCache.Core.Tests.Compilers;

public sealed class GccResponseFilesTests
{
    [Fact]
    public void Tokenize_Quotes_FollowGccRules()
    {
        var tokens = GccResponseFiles.Tokenize("-DQ='a b' -DR=\"c\\\" d\"  -DS=x\\ y\n'-DT=\\'\"\"' \"\" plain\r\n");

        Assert.Equal(["-DQ=a b", "-DR=c\" d", "-DS=x y", "-DT='\"\"", "", "plain"], tokens);
    }

    [Fact]
    public void Tokenize_WhitespaceOnly_GivesNothing()
    {
        Assert.Empty(GccResponseFiles.Tokenize(" \n\t "));
    }

    [Fact]
    public void Parse_ResponseFile_IsExpandedInPlace()
    {
        using var temp = new TempDirectory();
        temp.Write("args.rsp", "-c -O2\n-DX=\"a b\" src/x.c");

        var c = Cacheable(CompilerFamily.Gcc, temp.Path, "-Wall", "@args.rsp", "-o", "x.o");

        Assert.Equal("src/x.c", c.InputFile);
        Assert.Equal(["-Wall", "-O2"], c.HashedArguments);
        Assert.Equal(["-E", "-Wall", "-O2", "-DX=a b", "src/x.c"], c.PreprocessArguments);
    }

    [Fact]
    public void Parse_NestedResponseFile_IsRelativeToWorkingDirectory()
    {
        using var temp = new TempDirectory();
        temp.Write("rsp/outer.rsp", "-c @inner.rsp");
        temp.Write("inner.rsp", "'-DNAME=with space' x.c");
        temp.Write("rsp/inner.rsp", "-DWRONG y.c");

        var c = Cacheable(CompilerFamily.Clang, temp.Path, "@rsp/outer.rsp");

        Assert.Equal(["-E", "-DNAME=with space", "x.c"], c.PreprocessArguments);
    }

    [Fact]
    public void Parse_MissingResponseFile_StaysLiteral()
    {
        var result = NotCacheable(CompilerFamily.Gcc, "/nonexistent-wd", "-c", "x.c", "@missing.rsp");

        Assert.Equal(NotCacheableReason.MultipleSourceFiles, result.Reason);
        Assert.Equal("@missing.rsp", result.Detail);
    }

    [Fact]
    public void Parse_ResponseFileIsDirectory_IsResponseFileError()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(temp.Path, "dir"));

        Assert.Equal(NotCacheableReason.ResponseFileError, NotCacheable(CompilerFamily.Gcc, temp.Path, "-c", "x.c", "@dir").Reason);
    }

    [Fact]
    public void Parse_RecursiveResponseFile_IsResponseFileError()
    {
        using var temp = new TempDirectory();
        temp.Write("loop.rsp", "-O2 @loop.rsp");

        Assert.Equal(NotCacheableReason.ResponseFileError, NotCacheable(CompilerFamily.Gcc, temp.Path, "-c", "x.c", "@loop.rsp").Reason);
    }

    [Fact]
    public void Expand_NoResponseFile_ReturnsSameList()
    {
        string[] arguments = ["-c", "x.c"];

        Assert.Same(arguments, GccResponseFiles.Expand(arguments, "/wd", out _));
    }
}
