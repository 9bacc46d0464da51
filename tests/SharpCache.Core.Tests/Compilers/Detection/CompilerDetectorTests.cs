using SharpCache.Core.Compilers;
using SharpCache.Core.Compilers.Detection;
using SharpCache.Core.Processes;

namespace SharpCache.Core.Tests.Compilers.Detection;

public sealed class CompilerDetectorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpcache-detect-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("/usr/bin/gcc", CompilerFamily.Gcc, false)]
    [InlineData("/usr/bin/g++", CompilerFamily.Gcc, true)]
    [InlineData("/usr/bin/clang", CompilerFamily.Clang, false)]
    [InlineData("/usr/bin/clang++", CompilerFamily.Clang, true)]
    public void Detect_RealCompiler_FamilyVersionAndDigest(string path, CompilerFamily family, bool cxx)
    {
        var identity = new CompilerDetector(ProcessRunner.Instance, null).Detect(path, _dir);

        Assert.NotNull(identity);
        Assert.Equal(family, identity.Family);
        Assert.Equal(cxx, identity.IsCxxDriver);
        Assert.NotEqual("unknown", identity.Version);
        Assert.Matches("^[0-9a-f]{64}$", identity.Digest);
    }

    [Fact]
    public void Detect_SecondCall_UsesMemoWithoutRunningTheCompiler()
    {
        var counting = new CountingRunner();
        var detector = new CompilerDetector(counting, Path.Combine(_dir, "memo"));

        var first = detector.Detect("/usr/bin/gcc", _dir);
        var second = detector.Detect("/usr/bin/gcc", _dir);

        Assert.Equal(1, counting.Runs);
        Assert.Equal(first, second);
    }

    [Fact]
    public void Detect_CompilerBinaryChanged_ReprobesAndDigestChanges()
    {
        // A relocated gcc cannot find cc1; a wrapper script stands in for "a different binary".
        var fake = Path.Combine(_dir, "gcc");
        File.WriteAllText(fake, "#!/bin/sh\nexec /usr/bin/gcc \"$@\"\n");
        File.SetUnixFileMode(fake, (UnixFileMode)0x1ED);
        var counting = new CountingRunner();
        var detector = new CompilerDetector(counting, Path.Combine(_dir, "memo"));
        var before = detector.Detect(fake, _dir);

        File.AppendAllText(fake, "# upgraded\n");
        File.SetLastWriteTimeUtc(fake, DateTime.UtcNow.AddMinutes(1));
        var after = detector.Detect(fake, _dir);

        Assert.Equal(2, counting.Runs);
        Assert.NotNull(before);
        Assert.NotNull(after);
        Assert.NotEqual(before.Digest, after.Digest);
    }

    [Fact]
    public void Detect_NotACompiler_ReturnsNull()
    {
        Assert.Null(new CompilerDetector(ProcessRunner.Instance, null).Detect("/bin/true", _dir));
    }

    [Fact]
    public void Detect_CorruptMemo_Reprobes()
    {
        var memo = Path.Combine(_dir, "memo");
        var detector = new CompilerDetector(ProcessRunner.Instance, memo);
        Assert.NotNull(detector.Detect("/usr/bin/gcc", _dir));
        foreach (var file in Directory.GetFiles(memo))
        {
            File.WriteAllText(file, "garbage\n");
        }

        Assert.NotNull(detector.Detect("/usr/bin/gcc", _dir));
    }

    private sealed class CountingRunner : IProcessRunner
    {
        public int Runs { get; private set; }

        public ProcessResult RunCaptured(string executable, IReadOnlyList<string> arguments, string workingDirectory)
        {
            Runs++;
            return ProcessRunner.Instance.RunCaptured(executable, arguments, workingDirectory);
        }

        public ProcessResult RunStreaming(string executable, IReadOnlyList<string> arguments, string workingDirectory, Action<ReadOnlySpan<byte>> onStdout, Action? onStdoutEnd = null) =>
            throw new NotSupportedException();

        public ProcessResult RunTee(string executable, IReadOnlyList<string> arguments, string workingDirectory) =>
            throw new NotSupportedException();

        public int RunInherited(string executable, IReadOnlyList<string> arguments, string workingDirectory) =>
            throw new NotSupportedException();
    }
}
