using SharpCache.Dist.Sandbox;

namespace SharpCache.Dist.Tests.Sandbox;

/// <summary>Which of the last job's working directory a prepared sandbox creates ahead (empty): only under an offered top-level directory.</summary>
public sealed class PreparedWorkingDirectoryTests
{
    [Theory]
    [InlineData("/home/u/src/lua", "home/u/src/lua")]
    [InlineData("/home//u/src/", "home/u/src")]
    [InlineData("/home", null)] // the top-level directory itself is offered already
    [InlineData("/opt/build", null)] // not an offered top-level directory
    [InlineData("/home/u/../../etc", null)]
    [InlineData("/home/./u", null)]
    [InlineData("home/u", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void WorkingDirectoryFor(string? cwd, string? expected) =>
        Assert.Equal(expected, PreparedSandboxes.WorkingDirectoryFor(cwd, ["home", "builds"]));

    [Fact]
    public void WorkingDirectoryFor_TooDeep_IsNotCreated()
    {
        var deep = "/home/" + string.Join('/', Enumerable.Repeat("d", 40));
        Assert.Null(PreparedSandboxes.WorkingDirectoryFor(deep, ["home"]));
    }
}
