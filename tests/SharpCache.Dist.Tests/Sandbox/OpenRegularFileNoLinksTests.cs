using System.Diagnostics;
using SharpCache.Dist.Sandbox;

namespace SharpCache.Dist.Tests.Sandbox;

/// <summary>
/// How the build server opens a job's outputs on the host (<see cref="TreePaths.OpenRegularFileNoLinks"/>): only a regular file
/// reached without any symlink and without leaving the job's tree; a fifo is refused without blocking.
/// </summary>
public sealed class OpenRegularFileNoLinksTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpcache-dist-open-").FullName;

    private string Root => Path.Combine(_dir, "root");

    public OpenRegularFileNoLinksTests()
    {
        Directory.CreateDirectory(Path.Combine(Root, "w/out"));
        File.WriteAllText(Path.Combine(Root, "w/out/a.o"), "object");
        File.WriteAllText(Path.Combine(_dir, "secret"), "host file");
        File.CreateSymbolicLink(Path.Combine(Root, "w/out/link.o"), Path.Combine(_dir, "secret"));
        File.CreateSymbolicLink(Path.Combine(Root, "w/inner.o"), "out/a.o"); // relative, stays inside: still a link
        Directory.CreateSymbolicLink(Path.Combine(Root, "w/up"), _dir);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("/w/out/a.o", true)]
    [InlineData("w//out/a.o", true)]
    [InlineData("/w/out/a.o", false)]
    [InlineData("w//out/a.o", false)]
    public void RegularFile_Opens(string path, bool openat2)
    {
        using var stream = TreePaths.OpenRegularFileNoLinks(Root, path, openat2);
        Assert.NotNull(stream);
        Assert.Equal("object", new StreamReader(stream).ReadToEnd());
    }

    [Theory]
    [InlineData("/w/out/link.o")] // the last component a link out of the tree
    [InlineData("/w/inner.o")] // a link that stays inside
    [InlineData("/w/up/secret")] // a directory link on the way
    [InlineData("/w/../../secret")] // climbing out
    [InlineData("/w/out/missing.o")]
    [InlineData("/w/out")] // a directory
    [InlineData("/")]
    public void AnythingElse_IsRefused(string path)
    {
        Assert.Null(TreePaths.OpenRegularFileNoLinks(Root, path, useOpenat2: true));
        Assert.Null(TreePaths.OpenRegularFileNoLinks(Root, path, useOpenat2: false));
    }

    [Fact]
    public async Task Fifo_IsRefused_WithoutBlocking()
    {
        var fifo = Path.Combine(Root, "w/out/fifo.o");
        using (var mkfifo = Process.Start("mkfifo", [fifo]))
        {
            mkfifo.WaitForExit();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        foreach (var openat2 in (bool[])[true, false])
        {
            var opened = await Task.Run(() => TreePaths.OpenRegularFileNoLinks(Root, "/w/out/fifo.o", openat2)).WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Null(opened);
        }
    }
}
