using SharpCache.Core.Compilers.Depfiles;

namespace SharpCache.Core.Tests.Compilers.Depfiles;

public sealed class DepfileParserTests
{
    [Fact]
    public void ParsePrerequisites_GccContinuationLines_AllPrerequisitesInOrder()
    {
        var deps = DepfileParser.ParsePrerequisites("obj/x.o: src/x.c include/a.h \\\n /usr/include/stdio.h \\\n include/b.h\n");
        Assert.Equal(["src/x.c", "include/a.h", "/usr/include/stdio.h", "include/b.h"], deps);
    }

    [Fact]
    public void ParsePrerequisites_PhonyTargetsFromMP_Ignored()
    {
        var deps = DepfileParser.ParsePrerequisites("x.o: x.c a.h\n\na.h:\n");
        Assert.Equal(["x.c", "a.h"], deps);
    }

    [Fact]
    public void ParsePrerequisites_EscapedSpaceAndDollar_Unescaped()
    {
        var deps = DepfileParser.ParsePrerequisites("x.o: my\\ dir/x.c a$$b.h\n");
        Assert.Equal(["my dir/x.c", "a$b.h"], deps);
    }

    [Fact]
    public void ParsePrerequisites_SeveralTargets_PrerequisitesOfTheRule()
    {
        var deps = DepfileParser.ParsePrerequisites("x.o x.d: x.c\n");
        Assert.Equal(["x.c"], deps);
    }

    [Fact]
    public void ParsePrerequisites_NoColon_Null()
    {
        Assert.Null(DepfileParser.ParsePrerequisites("garbage without a rule"));
    }

    [Fact]
    public void ParsePrerequisites_RealGccDepfile_ListsSourceAndHeaders()
    {
        var dir = Directory.CreateTempSubdirectory("sharpcache-dep-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "a.h"), "int a;\n");
            File.WriteAllText(Path.Combine(dir, "x.c"), "#include \"a.h\"\n#include <stdio.h>\n");
            using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("gcc", ["-c", "-MD", "x.c", "-o", "x.o"]) { WorkingDirectory = dir })!;
            process.WaitForExit();
            var deps = DepfileParser.ParsePrerequisites(File.ReadAllText(Path.Combine(dir, "x.d")));
            Assert.NotNull(deps);
            Assert.Equal("x.c", deps[0]);
            Assert.Contains("a.h", deps);
            Assert.Contains(deps, d => d.EndsWith("/stdio.h", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
