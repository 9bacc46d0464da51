using SharpCache.Core.Direct;

namespace SharpCache.Core.Tests.Direct;

public sealed class IncludeSearchPathTests
{
    [Theory]
    [InlineData("gcc")]
    [InlineData("clang")]
    public void Parse_RealDashVOutput_QuoteDirectoriesThenAngleDirectories(string compiler)
    {
        using var tree = new DirectTree();
        tree.Write("src/main.c", "int main(void){return 0;}\n");
        foreach (var directory in new[] { "inc", "q", "sys", "after" })
        {
            Directory.CreateDirectory(tree.Full(directory));
        }

        var (exitCode, _, stderr) = tree.Run(compiler, "-E", "-v", "-I", "inc", "-iquote", "q", "-isystem", "sys", "-idirafter", "after", "src/main.c");
        Assert.True(exitCode == 0, stderr);

        var directories = IncludeSearchPath.Parse(stderr);

        Assert.Equal(["q", "inc", "sys"], directories.Take(3));
        Assert.Equal("after", directories[^1]);
        Assert.Contains("/usr/include", directories);
        Assert.DoesNotContain(directories, d => d.StartsWith(' ') || d.Length == 0);
    }

    [Fact]
    public void Parse_FrameworkSuffixAndCrlf_Stripped()
    {
        var stderr = "ignoring nonexistent directory \"/nope\"\r\n#include \"...\" search starts here:\r\n#include <...> search starts here:\r\n /usr/include\r\n /Library/Frameworks (framework directory)\r\nEnd of search list.\r\n /not/a/dir\r\n";

        Assert.Equal(["/usr/include", "/Library/Frameworks"], IncludeSearchPath.Parse(stderr));
    }

    [Theory]
    [InlineData("")]
    [InlineData("clang version 14\nTarget: x86_64\n")]
    [InlineData("#include <...> search starts here:\n")]
    public void Parse_NoList_Empty(string stderr)
    {
        Assert.Empty(IncludeSearchPath.Parse(stderr));
    }
}
