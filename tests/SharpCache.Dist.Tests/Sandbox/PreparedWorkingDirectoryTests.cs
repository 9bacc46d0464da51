using SharpCache.Dist.Sandbox;

namespace SharpCache.Dist.Tests.Sandbox;

/// <summary>Which of the last job's working directory a prepared sandbox creates ahead (empty): only under an offered top-level directory.</summary>
public sealed class PreparedWorkingDirectoryTests
{
    [Theory]
    [InlineData("/builds/u/src/lua", "builds/u/src/lua")]
    [InlineData("/builds//u/src/", "builds/u/src")]
    [InlineData("/builds", null)] // the top-level directory itself is offered already
    [InlineData("/opt/build", null)] // not an offered top-level directory
    [InlineData("/builds/u/../../etc", null)]
    [InlineData("/builds/./u", null)]
    [InlineData("builds/u", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void WorkingDirectoryFor(string? cwd, string? expected) =>
        Assert.Equal(expected, PreparedSandboxes.WorkingDirectoryFor(cwd, ["builds", "srv"]));

    [Fact]
    public void WorkingDirectoryFor_TooDeep_IsNotCreated()
    {
        var deep = "/builds/" + string.Join('/', Enumerable.Repeat("d", 40));
        Assert.Null(PreparedSandboxes.WorkingDirectoryFor(deep, ["builds"]));
    }
}
