using SharpCache.Core.Compilers;
using static SharpCache.Core.Tests.Compilers.ParserTestHelpers;

namespace SharpCache.Core.Tests.Compilers;

public sealed class GccArgumentParserLanguageTests
{
    [Theory]
    [InlineData("x.c", Language.C)]
    [InlineData("x.cc", Language.Cxx)]
    [InlineData("x.cp", Language.Cxx)]
    [InlineData("x.cxx", Language.Cxx)]
    [InlineData("x.cpp", Language.Cxx)]
    [InlineData("x.CPP", Language.Cxx)]
    [InlineData("x.c++", Language.Cxx)]
    [InlineData("x.C", Language.Cxx)]
    [InlineData("x.m", Language.ObjC)]
    [InlineData("x.mm", Language.ObjCxx)]
    [InlineData("x.M", Language.ObjCxx)]
    [InlineData("x.i", Language.CPreprocessed)]
    [InlineData("x.ii", Language.CxxPreprocessed)]
    [InlineData("x.mi", Language.ObjCPreprocessed)]
    [InlineData("x.mii", Language.ObjCxxPreprocessed)]
    [InlineData("x.s", Language.Assembler)]
    [InlineData("x.S", Language.AssemblerWithCpp)]
    [InlineData("x.sx", Language.AssemblerWithCpp)]
    public void Parse_Extension_GivesLanguage(string input, Language expected)
    {
        Assert.Equal(expected, Cacheable("-c", input).Language);
    }

    [Theory]
    [InlineData("x.i")]
    [InlineData("x.ii")]
    [InlineData("x.mi")]
    [InlineData("x.s")]
    public void Parse_NotPreprocessedLanguage_HasNoPreprocessArguments(string input)
    {
        Assert.Null(Cacheable("-c", input).PreprocessArguments);
    }

    [Fact]
    public void Parse_XLanguage_OverridesExtensionAndStaysBeforeInput()
    {
        var c = Cacheable("-c", "-x", "c++", "weird.txt");

        Assert.Equal(Language.Cxx, c.Language);
        Assert.Equal(["-E", "-x", "c++", "weird.txt"], c.PreprocessArguments);
        Assert.Empty(c.HashedArguments);
    }

    [Fact]
    public void Parse_XConcatenated_IsRecognised()
    {
        Assert.Equal(Language.ObjC, Cacheable("-c", "-xobjective-c", "a.c").Language);
        Assert.Equal(Language.AssemblerWithCpp, Cacheable("-c", "-x", "assembler-with-cpp", "a.asm").Language);
        Assert.Equal(Language.CxxPreprocessed, Cacheable("-c", "-x", "c++-cpp-output", "a.cc").Language);
    }

    [Fact]
    public void Parse_XNone_ResetsToExtension()
    {
        Assert.Equal(Language.C, Cacheable("-c", "-x", "c++", "-x", "none", "a.c").Language);
    }

    [Fact]
    public void Parse_XAfterInput_DoesNotApplyToIt()
    {
        Assert.Equal(Language.C, Cacheable("-c", "a.c", "-x", "c++").Language);
    }
}
