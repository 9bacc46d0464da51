using SharpCache.Core.Direct;

namespace SharpCache.Core.Tests.Direct;

public sealed class NegativeProbesTests
{
    [Fact]
    public void Candidates_HeaderInLaterDirectory_ProbesEveryEarlierOne()
    {
        var probes = NegativeProbes.Candidates(["inc2/sys/types.h"], ["q", "inc1", "inc2", "sys"], "src/main.c", "/w");

        Assert.Equal(["src/sys/types.h", "q/sys/types.h", "inc1/sys/types.h"], probes);
    }

    [Fact]
    public void Candidates_DotDotAndDotSlashSpellings_NormalisedMatch()
    {
        var probes = NegativeProbes.Candidates(["/usr/lib/gcc/x/12/../../../../include/c++/12/vector"], ["/usr/local/include", "/usr/include/c++/12"], "main.cc", "/w");

        Assert.Equal(["vector", "/usr/local/include/vector"], probes);
    }

    [Fact]
    public void Candidates_RelativeDirectoryAgainstAbsoluteFile_Matches()
    {
        var probes = NegativeProbes.Candidates(["/w/inc2/a.h"], ["inc1", "../w/inc2"], "main.c", "/w");

        Assert.Equal(["a.h", "inc1/a.h"], probes);
    }

    [Fact]
    public void Candidates_FileInNoSearchDirectory_NoProbes()
    {
        Assert.Empty(NegativeProbes.Candidates(["/opt/x/y.h", "src/local.h"], ["inc"], "src/main.c", "/w"));
    }
}
