using System.ComponentModel;
using System.Text;
using SharpCache.Core.Processes;

namespace SharpCache.Core.Tests.Processes;

/// <summary>
/// The real process runner: what a compiler started through it sees and returns. Started in our own directory (a
/// compile's case) it goes through posix_spawn + poll; in another directory through Process.
/// </summary>
public sealed class ProcessRunnerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpcache-runner-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Here => Environment.CurrentDirectory;

    private static ProcessResult Sh(string script, string? cwd = null) =>
        ProcessRunner.Instance.RunCaptured("sh", ["-c", script], cwd ?? Environment.CurrentDirectory);

    [Fact]
    public void RunCaptured_KeepsStdoutStderrAndExitCode()
    {
        var result = Sh("printf out; printf err >&2; exit 3");

        Assert.Equal(3, result.ExitCode);
        Assert.Equal("out", Encoding.UTF8.GetString(result.Stdout));
        Assert.Equal("err", Encoding.UTF8.GetString(result.Stderr));
    }

    [Fact]
    public void RunStreaming_BothPipesFull_NeitherBlocksTheChild()
    {
        // More than a pipe holds on each stream, alternating: read on one thread, neither may fill up and stall the child.
        var streamed = 0L;
        var result = ProcessRunner.Instance.RunStreaming("sh", ["-c", "for i in 1 2 3 4; do head -c 300000 /dev/zero; head -c 200000 /dev/zero >&2; done"], Here, chunk => streamed += chunk.Length);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(1_200_000, streamed);
        Assert.Equal(800_000, result.Stderr.Length);
    }

    [Fact]
    public void RunStreaming_StdoutEnd_RunsAfterTheLastChunkAndBeforeTheExitIsWaitedFor()
    {
        // The child closes stdout, then waits (at most 5 s) for a file that only the end callback creates: were the callback
        // run after the exit, the child would give up and exit 3.
        var flag = Path.Combine(Path.GetTempPath(), "sharpcache-stdout-end-" + Guid.NewGuid().ToString("N"));
        var text = new StringBuilder();
        string? atEnd = null;
        try
        {
            var result = ProcessRunner.Instance.RunStreaming(
                "sh",
                ["-c", $"printf abc; printf def; exec 1>&-; for i in $(seq 500); do [ -e '{flag}' ] && exit 0; sleep 0.01; done; exit 3"],
                Here,
                chunk => text.Append(Encoding.UTF8.GetString(chunk)),
                () =>
                {
                    atEnd = text.ToString();
                    File.WriteAllText(flag, "");
                });

            Assert.Equal(0, result.ExitCode);
            Assert.Equal("abcdef", atEnd);
        }
        finally
        {
            File.Delete(flag);
        }
    }

    [Fact]
    public void Captured_StderrGoesToAnInMemoryFile_InOrder_AcrossProcessesSharingIt()
    {
        // A captured stderr is read after the exit, from an in-memory file (no wake-up of ours per write); the pieces
        // written by the shell and its children, one write each, come back whole and in order.
        var result = Sh("readlink /proc/self/fd/2 >&2; for i in 1 2 3; do printf \"$i.\" >&2; sh -c 'printf x >&2'; done");

        var lines = Encoding.UTF8.GetString(result.Stderr).Split('\n');
        Assert.StartsWith("/memfd:sharpcache-stderr", lines[0], StringComparison.Ordinal);
        Assert.Equal("1.x2.x3.x", lines[1]);
    }

    [Fact]
    public void KilledBySignal_Is128PlusTheSignal()
    {
        Assert.Equal(128 + 15, Sh("kill -TERM $$").ExitCode);
        Assert.Equal(128 + 9, ProcessRunner.Instance.RunInherited("sh", ["-c", "kill -KILL $$"], Here));
        Assert.Equal(128 + 9, ProcessRunner.Instance.RunInherited("sh", ["-c", "kill -KILL $$"], _dir));
    }

    [Fact]
    public void Child_HasNoStandardSignalIgnoredOrBlocked()
    {
        // .NET ignores SIGPIPE in its own process (and Process passed that on); a compiler gets the default, as from make.
        var status = Encoding.UTF8.GetString(Sh("grep -E '^Sig(Ign|Blk)' /proc/self/status").Stdout);

        static ulong Mask(string status, string name) =>
            Convert.ToUInt64(status.Split('\n').Single(l => l.StartsWith(name + ":", StringComparison.Ordinal)).Split('\t')[1], 16);

        // Signals 1-31; glibc's internal 32 and 33 (SIGCANCEL, SIGSETXID) are its own business.
        Assert.Equal(0UL, Mask(status, "SigIgn") & 0x7fffffffUL);
        Assert.Equal(0UL, Mask(status, "SigBlk"));
    }

    [Fact]
    public void Child_RunsInTheWorkingDirectory_WithOurEnvironment()
    {
        foreach (var cwd in (string[])[Here, _dir])
        {
            var result = Sh("pwd; printf %s \"$HOME\"", cwd);

            var lines = Encoding.UTF8.GetString(result.Stdout).Split('\n');
            Assert.Equal(Path.GetFullPath(cwd), lines[0]);
            Assert.Equal(Environment.GetEnvironmentVariable("HOME") ?? "", lines[1]);
        }
    }

    [Fact]
    public void Child_GetsTheResolvedPathAsArgv0_AndNoDescriptorOfOurs()
    {
        var result = ProcessRunner.Instance.RunCaptured("sh", ["-c", "tr '\\0' ' ' < /proc/$$/cmdline; echo; ls /proc/$$/fd"], Here);

        var lines = Encoding.UTF8.GetString(result.Stdout).Split('\n');
        Assert.StartsWith("/", lines[0], StringComparison.Ordinal);
        Assert.EndsWith("/sh -c ", lines[0].Split("tr")[0], StringComparison.Ordinal);

        // The shell's descriptors are those it gets from Process (stdin, stdout, stderr, the shell's own, any the test host
        // left inheritable): the runner's pipes and buffers leak nothing more into the child.
        var viaProcess = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("sh", ["-c", "ls /proc/$$/fd"]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var expected = viaProcess.StandardOutput.ReadToEnd().Split('\n').Where(l => l.Length > 0).ToList();
        viaProcess.WaitForExit();
        Assert.Equal(expected, lines.Skip(1).Where(l => l.Length > 0));
    }

    [Fact]
    public void RelativePathWithSlash_IsResolved()
    {
        var script = Path.Combine(_dir, "tool.sh");
        File.WriteAllText(script, "#!/bin/sh\necho ran\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var relative = Path.GetRelativePath(Here, script);
        Assert.Contains('/', relative);

        var result = ProcessRunner.Instance.RunCaptured(relative, [], Here);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("ran\n", Encoding.UTF8.GetString(result.Stdout));
    }

    [Fact]
    public void MissingProgram_Throws()
    {
        Assert.ThrowsAny<Win32Exception>(() => ProcessRunner.Instance.RunCaptured("sharpcache-no-such-program", [], Here));
        Assert.ThrowsAny<Win32Exception>(() => ProcessRunner.Instance.RunInherited(Path.Combine(_dir, "missing"), [], Here));
    }
}
