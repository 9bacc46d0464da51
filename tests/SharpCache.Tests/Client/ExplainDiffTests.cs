using SharpCache.Client;

namespace SharpCache.Tests.Client;

public sealed class ExplainDiffTests
{
    private static List<KeyValuePair<string, string>> R(params (string Name, string Value)[] parts) =>
        [.. parts.Select(p => new KeyValuePair<string, string>(p.Name, p.Value))];

    [Fact]
    public void IdenticalRecipesHaveNoDifferences() =>
        Assert.Empty(Explain.Diff(R(("arg", "-O2"), ("source", "x.c 1")), R(("arg", "-O2"), ("source", "x.c 1"))));

    [Fact]
    public void ArgumentsAddedAndRemoved()
    {
        var diff = Explain.Diff(
            R(("arg", "-O2"), ("pp-arg", "-DFOO=1")),
            R(("arg", "-O2"), ("arg", "-Wall"), ("pp-arg", "-DFOO=2")));
        Assert.Equal(["argument added: -Wall", "argument removed: -DFOO=1", "argument added: -DFOO=2"], diff);
    }

    [Fact]
    public void ArgumentsReordered() =>
        Assert.Equal(["arguments reordered"], Explain.Diff(R(("arg", "-O2"), ("arg", "-g")), R(("arg", "-g"), ("arg", "-O2"))));

    /// <summary>A repeated argument dropped once is a removal, not a reordering.</summary>
    [Fact]
    public void DuplicateArgumentRemoved() =>
        Assert.Equal(["argument removed: -MD"], Explain.Diff(R(("arg", "-MD"), ("arg", "-MD")), R(("arg", "-MD"))));

    [Fact]
    public void EnvironmentVariables() =>
        Assert.Equal(
            ["environment variable removed: LANG=C", "environment variable added: LANG=en_US.UTF-8", "environment variable added: SOURCE_DATE_EPOCH=1"],
            Explain.Diff(R(("env", "LANG=C")), R(("env", "LANG=en_US.UTF-8"), ("env", "SOURCE_DATE_EPOCH=1"))));

    [Theory]
    [InlineData("source", "source file changed: x.c 1 -> x.c 2")]
    [InlineData("compiler.digest", "compiler binary changed: x.c 1 -> x.c 2")]
    [InlineData("preprocessed", "preprocessed text (a header or macro changed) changed: x.c 1 -> x.c 2")]
    [InlineData("cwd", "working directory (embedded in debug info) changed: x.c 1 -> x.c 2")]
    [InlineData("something-new", "something-new changed: x.c 1 -> x.c 2")]
    public void SingleValuedInputsChanged(string name, string expected) =>
        Assert.Equal([expected], Explain.Diff(R((name, "x.c 1")), R((name, "x.c 2"))));

    [Fact]
    public void InputOnlyOnOneSideIsAChangeFromOrToEmpty()
    {
        Assert.Equal(["working directory (embedded in debug info) changed:  -> /w"], Explain.Diff(R(), R(("cwd", "/w"))));
        Assert.Equal(["extra input file removed: p.gcda 1"], Explain.Diff(R(("extra-file", "p.gcda 1")), R()));
    }

    [Fact]
    public void PlaceholderIsPrintedAsBasedir() =>
        Assert.Equal(
            ["argument added: -I$BASEDIR/include"],
            Explain.Diff(R(), R(("arg", "-I" + BasedirMapper.Placeholder + "/include"))));
}
