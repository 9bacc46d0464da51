using System.Text;
using SharpCache.Core.Direct;

namespace SharpCache.Core.Tests.Direct;

public sealed class LinemarkerParserTests
{
    [Theory]
    [InlineData("gcc")]
    [InlineData("clang")]
    public void Feed_RealPreprocessorOutputSplitAnywhere_FindsTheSameFiles(string compiler)
    {
        using var tree = new DirectTree();
        tree.Write("src/main.c", "#include \"local.h\"\n#include <a.h>\n#include <we\"i\\rd.h>\n#include \"\u0001.h\"\nint main(void){return A+L+Q;}\n");
        tree.Write("src/local.h", "#define L 1\n#include \"q.h\"\n");
        tree.Write("src/\u0001.h", "int odd;\n");
        tree.Write("inc/a.h", "#include \"sub/b.h\"\n#define A 2\n");
        tree.Write("inc/sub/b.h", "#define B 3\n");
        tree.Write("q/q.h", "#define Q 4\n");
        tree.Write("qi/we\"i\\rd.h", "int weird;\n");
        var (exitCode, output, stderr) = tree.Run(compiler, "-E", "-g", "-I", "inc", "-iquote", "q", "-I", "qi", "src/main.c");
        Assert.True(exitCode == 0, stderr);

        var whole = Parse(output);

        Assert.Equal("src/main.c", whole[0]);
        Assert.Contains("src/local.h", whole);
        Assert.Contains("q/q.h", whole);
        Assert.Contains("inc/a.h", whole);
        Assert.Contains("inc/sub/b.h", whole);
        Assert.Contains("qi/we\"i\\rd.h", whole);
        Assert.Contains("src/\u0001.h", whole);
        Assert.DoesNotContain(whole, f => f.StartsWith('<') || f.EndsWith("//", StringComparison.Ordinal));
        Assert.Equal(whole.Count, whole.Distinct().Count());
        for (var split = 1; split < output.Length; split++)
        {
            Assert.Equal(whole, Parse(output.AsSpan(0, split), output.AsSpan(split)));
        }
    }

    [Fact]
    public void Feed_OneByteAtATime_HandlesCrlfLineDirectiveAndEscapes()
    {
        var text = "# 1 \"main.c\"\r\n"
            + "int x;\r\n"
            + "#line 7 \"other.h\"\r\n"
            + "#pragma once\n"
            + "#  12   \"spaced.h\"   1 3 4\n"
            + "#\t3\t\"tab.h\"\n"
            + "# 2 \"back\\\\slash\\\"quote\\101.h\" 2\n"
            + "# 1 \"<built-in>\"\n# 1 \"<command line>\" 1\n# 1 \"/work/dir//\"\n"
            + "# 1 \"other.h\" 2\n"
            + "#define X \"# 1 \\\"fake.h\\\"\"\n"
            + "  # 1 \"indented.h\"\n"
            + "# x \"notanumber.h\"\n"
            + "#linex 3 \"nospace.h\"\n"
            + "# 4 \"last.h\"";
        var bytes = Encoding.UTF8.GetBytes(text);
        var parser = new LinemarkerParser();
        foreach (var b in bytes)
        {
            parser.Feed([b]);
        }

        parser.Complete();

        Assert.Equal(["main.c", "other.h", "spaced.h", "tab.h", "back\\slash\"quoteA.h", "last.h"], parser.Files);
    }

    [Fact]
    public void Feed_VeryLongHashLine_IsSkippedAndParsingContinues()
    {
        var text = "# 1 \"a.h\"\n#define BIG " + new string('x', 200_000) + "\n# 2 \"b.h\"\n";
        var bytes = Encoding.UTF8.GetBytes(text);

        Assert.Equal(["a.h", "b.h"], Parse(bytes.AsSpan(0, 100), bytes.AsSpan(100)));
        Assert.Equal(["a.h", "b.h"], Parse(bytes));
    }

    [Fact]
    public void Feed_UnterminatedQuote_IsNotAFile()
    {
        Assert.Empty(Parse("# 1 \"open.h\n"u8));
        Assert.Empty(Parse("# 1 \"open\\\"\n"u8));
    }

    private static List<string> Parse(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second = default)
    {
        var parser = new LinemarkerParser();
        parser.Feed(first);
        parser.Feed(second);
        parser.Complete();
        return [.. parser.Files];
    }
}
