using SharpCache.Admin;

namespace SharpCache.Tests.Admin;

/// <summary><c>--package-toolchain EXE OUT</c> through the admin dispatcher (the packager itself is tested in SharpCache.Toolchains.Tests).</summary>
public sealed class PackageToolchainTests
{
    [Fact]
    public void Gcc_IsPackaged_BadPathsExit2WithoutPartialOutput()
    {
        var dir = Path.Combine(Path.GetTempPath(), "sc-pt-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        try
        {
            var options = Daemon.TestDaemon.CreateOptionsOnly().Options;
            var output = Path.Combine(dir, "gcc.tar.gz");
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            Assert.Equal(0, AdminCommands.Run(["--package-toolchain", "/usr/bin/gcc", output], options, stdout, stderr, _ => false));
            Assert.True(new FileInfo(output).Length > 1 << 20, stderr.ToString());
            Assert.Equal("", stdout.ToString());

            var missing = Path.Combine(dir, "missing.tar.gz");
            Assert.Equal(2, AdminCommands.Run(["--package-toolchain", Path.Combine(dir, "no-such-compiler"), missing], options, stdout, stderr, _ => false));
            Assert.False(File.Exists(missing));
            Assert.Contains("sharpcache: error:", stderr.ToString(), StringComparison.Ordinal);
            Assert.Single(Directory.GetFiles(dir));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
