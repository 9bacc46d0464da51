using System.Text;
using SharpCache.Core.Compilers.Rust;
using SharpCache.Core.Processes;

namespace SharpCache.Core.Tests.Compilers.Rust;

public sealed class RustcDetectorTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private (string Rustc, string Sysroot) FakeToolchain()
    {
        var sysroot = Path.Combine(_dir.Path, "toolchain");
        var rustc = _dir.Write("toolchain/bin/rustc", "#!/bin/sh\n");
        _dir.Write("toolchain/lib/librustc_driver-1.so", "driver v1");
        _dir.Write("toolchain/lib/libLLVM.so", "llvm");
        return (rustc, sysroot);
    }

    [Fact]
    public void Detect_SecondCall_UsesMemoWithoutRunningRustc()
    {
        var (rustc, sysroot) = FakeToolchain();
        var runner = new FakeRustc(sysroot, "rustc 1.95.0 (59807616e 2026-04-14)\nhost: x86_64-unknown-linux-gnu\n");
        var memo = Path.Combine(_dir.Path, "memo");

        var first = new RustcDetector(runner, memo).Detect(rustc, _dir.Path);
        var calls = runner.Calls;
        var second = new RustcDetector(runner, memo).Detect(rustc, _dir.Path);

        Assert.NotNull(first);
        Assert.Equal(first, second);
        Assert.Equal(calls, runner.Calls);
        Assert.StartsWith("rustc 1.95.0", first.VersionText, StringComparison.Ordinal);
        Assert.Equal(sysroot, first.Sysroot);
    }

    [Fact]
    public void Detect_SysrootLibraryChanged_RehashesIt()
    {
        var (rustc, sysroot) = FakeToolchain();
        var runner = new FakeRustc(sysroot, "rustc 1.95.0\n");
        var memo = Path.Combine(_dir.Path, "memo");
        var first = new RustcDetector(runner, memo).Detect(rustc, _dir.Path);

        var driver = Path.Combine(sysroot, "lib", "librustc_driver-1.so");
        File.WriteAllText(driver, "driver v2, longer");
        var second = new RustcDetector(runner, memo).Detect(rustc, _dir.Path);

        Assert.NotEqual(first!.SysrootDigest, second!.SysrootDigest);
    }

    [Fact]
    public void Detect_NotRustc_ReturnsNull()
    {
        var (rustc, sysroot) = FakeToolchain();

        Assert.Null(new RustcDetector(new FakeRustc(sysroot, "gcc (Debian 12.2.0)\n"), null).Detect(rustc, _dir.Path));
    }

    [Theory]
    [InlineData("/usr/bin/rustc", true)]
    [InlineData("/x/clippy-driver", true)]
    [InlineData("rustc-1.95", true)]
    [InlineData("/usr/bin/gcc", false)]
    [InlineData("/usr/bin/rustdoc", false)]
    public void LooksLikeRustc_ByFileName(string path, bool expected)
    {
        Assert.Equal(expected, RustcDetector.LooksLikeRustc(path));
    }

    private sealed class FakeRustc(string sysroot, string version) : IProcessRunner
    {
        public int Calls { get; private set; }

        public ProcessResult RunCaptured(string executable, IReadOnlyList<string> arguments, string workingDirectory)
        {
            Calls++;
            var text = arguments[0] == "-vV" ? version : sysroot + "\n";
            return new ProcessResult(0, Encoding.UTF8.GetBytes(text), []);
        }

        public ProcessResult RunStreaming(string executable, IReadOnlyList<string> arguments, string workingDirectory, Action<ReadOnlySpan<byte>> onStdout, Action? onStdoutEnd = null) =>
            throw new NotSupportedException();

        public ProcessResult RunTee(string executable, IReadOnlyList<string> arguments, string workingDirectory) =>
            throw new NotSupportedException();

        public int RunInherited(string executable, IReadOnlyList<string> arguments, string workingDirectory) =>
            throw new NotSupportedException();
    }
}
